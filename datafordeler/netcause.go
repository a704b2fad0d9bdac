package datafordeler

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"syscall"
)

// Winsock's error numbers (winerror.h), and the Win32 errors that
// overlapped socket I/O can report. They are numbers here, not names from
// x/sys/windows, so that one table classifies a Windows error on every
// OS: the tests build Windows-shaped errors on Linux. No Unix errno comes
// near 1000, so these cannot be mistaken for one.
const (
	wsaENETDOWN     syscall.Errno = 10050
	wsaENETUNREACH  syscall.Errno = 10051
	wsaENETRESET    syscall.Errno = 10052
	wsaECONNABORTED syscall.Errno = 10053
	wsaECONNRESET   syscall.Errno = 10054
	wsaETIMEDOUT    syscall.Errno = 10060
	wsaECONNREFUSED syscall.Errno = 10061
	wsaEHOSTDOWN    syscall.Errno = 10064
	wsaEHOSTUNREACH syscall.Errno = 10065

	winConnectionRefused  syscall.Errno = 1225 // ERROR_CONNECTION_REFUSED
	winNetworkUnreachable syscall.Errno = 1231 // ERROR_NETWORK_UNREACHABLE
	winHostUnreachable    syscall.Errno = 1232 // ERROR_HOST_UNREACHABLE
	winConnectionAborted  syscall.Errno = 1236 // ERROR_CONNECTION_ABORTED
)

// Win32 errors below 1000 share their numbers with Unix errnos (64 is
// ENONET on Linux, EHOSTDOWN on macOS): they count only on Windows or in
// the error of a Winsock call.
const (
	winNetnameDeleted syscall.Errno = 64  // ERROR_NETNAME_DELETED: the peer closed the connection
	winSemTimeout     syscall.Errno = 121 // ERROR_SEM_TIMEOUT: the connect timed out
)

// errnoCauses is every OS error number cprready reads by meaning: this
// OS's errno values (on Windows, Go's invented ones, which are harmless)
// and Winsock's.
var errnoCauses = map[syscall.Errno]Cause{
	syscall.ECONNREFUSED: CauseRefused,
	syscall.ECONNRESET:   CauseReset,
	syscall.ECONNABORTED: CauseReset,
	syscall.EPIPE:        CauseReset,
	syscall.ETIMEDOUT:    CauseTimeout,
	syscall.EHOSTUNREACH: CauseUnreachable,
	syscall.ENETUNREACH:  CauseUnreachable,
	syscall.ENETDOWN:     CauseUnreachable,

	wsaECONNREFUSED:       CauseRefused,
	winConnectionRefused:  CauseRefused,
	wsaECONNRESET:         CauseReset,
	wsaECONNABORTED:       CauseReset,
	wsaENETRESET:          CauseReset,
	winConnectionAborted:  CauseReset,
	wsaETIMEDOUT:          CauseTimeout,
	wsaEHOSTUNREACH:       CauseUnreachable,
	wsaENETUNREACH:        CauseUnreachable,
	wsaEHOSTDOWN:          CauseUnreachable,
	wsaENETDOWN:           CauseUnreachable,
	winHostUnreachable:    CauseUnreachable,
	winNetworkUnreachable: CauseUnreachable,
}

// windowsOnlyCauses are the low Win32 numbers (see winNetnameDeleted).
var windowsOnlyCauses = map[syscall.Errno]Cause{
	winNetnameDeleted: CauseReset,
	winSemTimeout:     CauseTimeout,
}

// errnoCause reads the OS error number inside a network error (in
// *net.OpError, *os.SyscallError) by its meaning, the same on every OS:
// refused, reset, timed out or unreachable. ok is false when err carries
// no number, or one that means none of these.
func errnoCause(err error) (Cause, bool) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "", false
	}
	if c, ok := errnoCauses[errno]; ok {
		return c, true
	}
	if c, ok := windowsOnlyCauses[errno]; ok && (runtime.GOOS == "windows" || winsockCall(err)) {
		return c, true
	}
	return "", false
}

// winsockCall reports whether err comes from a Windows socket call, as
// Go names them in *os.SyscallError (connectex, wsarecv, wsasend …).
func winsockCall(err error) bool {
	var se *os.SyscallError
	if !errors.As(err, &se) {
		return false
	}
	name := strings.ToLower(se.Syscall)
	return strings.HasPrefix(name, "wsa") || name == "connectex" || name == "acceptex" || name == "transmitfile"
}
