/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Go programs
 * under Debian bookworm's wine 8.0, which lacks the DLL. Go >= 1.22 loads
 * ProcessPrng from it at start-up and stops when it is missing.
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036), which wine has. Only for tests under wine: never
 * ship it.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
