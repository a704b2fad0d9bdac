#!/usr/bin/env bash
# Windows (and macOS) as first-class platforms, checked from Linux:
#  1. go vet for windows/amd64 and darwin/arm64 (tests included);
#  2. every package's test binary compiled for both;
#  3. under wine (Debian bookworm's wine 8.0, pinned): cprready.exe version,
#     an offline check of a backslash path, explain, the demo (ready and
#     with a fault, leaving no temporary folder), the emulator and a live
#     check against it, the same check once nothing listens (diagnosed as
#     connection-refused), the datafordeler tests (every classification and
#     retry test, the emulator's faults, the refused loopback), and the
#     other test binaries that run whole under wine.
# CI runs it (.ci/run); so can you, as root or with sudo.
#
# Wine facts: bookworm's wine 8.0 lacks bcryptprimitives.dll, which Go >=
# 1.22 loads at start-up; scripts/wine/bcryptprimitives.c is a stand-in,
# built with Debian's mingw-w64 into a fresh prefix. Wine 8 also lacks
# FileDispositionInformationEx, so os.RemoveAll fails there ("unlinkat …
# Invalid function"), and with it every test that uses t.TempDir (the
# datafordeler tests use internal/testdir instead); wine also maps access
# lists onto Unix modes, so it cannot keep a file to its owner. Packages
# whose tests need either are compiled and vetted for Windows here, and
# run on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned Debian bookworm packages (apt-cache policy, 2026-12); apt checks
# each against the signed archive, and the versions are checked below.
pins=(
	wine64=8.0~repack-4
	libwine=8.0~repack-4
	gcc-mingw-w64-x86-64-win32=12.2.0-14+deb12u1+25.2+b1
	gcc-mingw-w64-x86-64-win32-runtime=12.2.0-14+deb12u1+25.2+b1
	gcc-mingw-w64-base=12.2.0-14+deb12u1+25.2+b1
	binutils-mingw-w64-x86-64=2.40-2+10.4
	mingw-w64-x86-64-dev=10.0.0-3
	mingw-w64-common=10.0.0-3
)
# The test binaries that run whole under wine (none uses t.TempDir).
wine_packages=(datafordeler calendar checks/diagnose gql internal/redact internal/testdir internal/textsafe internal/words migrate report sheet)
# Tests that must have run and passed under wine: the classification of
# every failure, Windows-shaped and real, and its retries.
must_pass=(TestClassifyHTTP TestClassifyTransportByMeaning TestRetriesAreTheSameOnEveryOS TestRefusedLoopbackIsDiagnosed TestTransportFailures TestFaultsClassified)

t0=$SECONDS
step() { echo "-- $* ($((SECONDS - t0))s)"; }
tmp=$(mktemp -d)
emu_pid=""
cleanup() {
	[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
	[ -n "${WINEPREFIX:-}" ] && [ -x /usr/lib/wine/wineserver ] && /usr/lib/wine/wineserver -k 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

step "go vet, windows/amd64 and darwin/arm64"
GOOS=windows GOARCH=amd64 go vet ./...
GOOS=darwin GOARCH=arm64 go vet ./...

step "every package's tests compiled for windows/amd64 and darwin/arm64"
for target in windows/amd64 darwin/arm64; do
	os=${target%/*} arch=${target#*/}
	want=$(GOOS=$os GOARCH=$arch go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./... | grep -c .)
	mkdir -p "$tmp/$os"
	GOOS=$os GOARCH=$arch go test -c -o "$tmp/$os/" ./... >"$tmp/compile.log" 2>&1 || { cat "$tmp/compile.log"; exit 1; }
	got=$(find "$tmp/$os" -name '*.test*' | grep -c .)
	[ "$got" -eq "$want" ] || { echo "windows-check: $got test binaries for $target, want $want" >&2; exit 1; }
	echo "$target: $got test binaries"
done

step "wine and mingw-w64 (pinned)"
scripts/apt-pinned.sh "${pins[@]}"
WINE=/usr/lib/wine/wine64

step "the bcryptprimitives.dll stand-in, a fresh wine prefix"
x86_64-w64-mingw32-gcc -O2 -s -shared -Wall -Wextra -Werror -o "$tmp/bcryptprimitives.dll" \
	scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32
# Into a file first: grep -q stops reading early, and under pipefail the
# writer's SIGPIPE would fail the check whenever the output is long.
x86_64-w64-mingw32-objdump -p "$tmp/bcryptprimitives.dll" >"$tmp/exports.txt"
grep -q '\] ProcessPrng$' "$tmp/exports.txt" ||
	{ echo "windows-check: the DLL does not export ProcessPrng" >&2; grep -A20 'Export' "$tmp/exports.txt" >&2; exit 1; }
export WINEPREFIX="$tmp/prefix" WINEARCH=win64 WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
"$WINE" wineboot --init >"$tmp/wineboot.log" 2>&1 || { cat "$tmp/wineboot.log"; exit 1; }
/usr/lib/wine/wineserver -w
cp "$tmp/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

step "cprready.exe under wine"
GOOS=windows GOARCH=amd64 go build -o "$tmp/cprready.exe" ./cmd/cprready
cpr() { "$WINE" "$tmp/cprready.exe" "$@"; }
winpath() { local p=${1//\//\\}; echo "Z:$p"; } # wine maps / to Z:

# expect CODE OUT ARGS…: cprready.exe exits with CODE; stdout and stderr in OUT.
expect() {
	local code=$1 out=$2 rc=0
	shift 2
	cpr "$@" >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne "$code" ]; then
		echo "windows-check: cprready.exe $* exited $rc, want $code:" >&2
		cat "$out" >&2
		exit 1
	fi
	echo "cprready.exe $* → exit $rc: $(grep -m1 . "$out" | cut -c1-100)"
}
# has OUT REGEX: OUT matches REGEX.
has() { grep -Eq -- "$2" "$1" || { echo "windows-check: no /$2/ in:" >&2; cat "$1" >&2; exit 1; }; }

expect 0 "$tmp/version.txt" version
has "$tmp/version.txt" 'windows/amd64'

public=$(winpath "$PWD/examples/public.yaml")
findings=$(winpath "$PWD/examples/findings.yaml")
case "$public" in *'\examples\public.yaml') ;; *) echo "windows-check: $public is not a backslash path" >&2; exit 1 ;; esac
expect 0 "$tmp/check.txt" check --offline --profile "$public" --at 2026-12-01
has "$tmp/check.txt" '^READY  0 fail'
has "$tmp/check.txt" 'examples\\public\.yaml'
expect 1 "$tmp/findings.txt" check --offline --profile "$findings" --at 2026-12-01
has "$tmp/findings.txt" '^NOT READY'
has "$tmp/findings.txt" 'ip\.prefix-range'

expect 0 "$tmp/explain.txt" explain DAF-AUTH-0005
has "$tmp/explain.txt" '2 meanings'

expect 0 "$tmp/demo.txt" demo --no-tui
has "$tmp/demo.txt" '^READY'
expect 1 "$tmp/demo-fault.txt" demo --no-tui --fault ip-not-whitelisted
has "$tmp/demo-fault.txt" '^NOT READY'
has "$tmp/demo-fault.txt" 'is not in the whitelist'
if compgen -G "$WINEPREFIX/drive_c/users/*/Temp/cprready-demo-*" >/dev/null; then
	echo "windows-check: the demo left its temporary folder behind:" >&2
	ls -d "$WINEPREFIX"/drive_c/users/*/Temp/cprready-demo-* >&2
	exit 1
fi

step "the emulator under wine, a live check, then nothing listening: connection-refused"
state=$(winpath "$tmp/emu")
"$WINE" "$tmp/cprready.exe" emulator --state "$state" --addr 127.0.0.1:0 --quiet >"$tmp/emu.log" 2>&1 &
emu_pid=$! # wine's loader becomes the Windows process: this pid is the emulator
for _ in $(seq 300); do
	grep -q 'listening on https://' "$tmp/emu.log" && break
	sleep 0.1
done
has "$tmp/emu.log" 'listening on https://127\.0\.0\.1:[0-9]+'
expect 0 "$tmp/live.txt" check --profile "$state\\public.yaml" --no-tui --timeout 60s
has "$tmp/live.txt" '^READY'
kill "$emu_pid"
wait "$emu_pid" 2>/dev/null || true
emu_pid=""
expect 1 "$tmp/refused.json" check --profile "$state\\public.yaml" --format json --timeout 60s
has "$tmp/refused.json" '"cause": "connection-refused"'
expect 1 "$tmp/refused.txt" check --profile "$state\\public.yaml" --no-tui --timeout 60s
has "$tmp/refused.txt" 'The connection was refused'

step "test binaries under wine"
for pkg in "${wine_packages[@]}"; do
	name=$(basename "$pkg")
	start=$SECONDS
	if ! (cd "$pkg" && "$WINE" "$tmp/windows/$name.test.exe" -test.v >"$tmp/$name.log" 2>&1); then
		grep -v '^=== ' "$tmp/$name.log" | tail -60
		echo "windows-check: $pkg fails under wine. 'TempDir RemoveAll cleanup: unlinkat … Invalid function' is wine's (see the top): use internal/testdir, or take $pkg out of wine_packages." >&2
		exit 1
	fi
	echo "$pkg: $(grep -c '^--- PASS' "$tmp/$name.log") tests passed ($((SECONDS - start))s)"
done
for test in "${must_pass[@]}"; do
	grep -q "^--- PASS: $test " "$tmp/datafordeler.log" || { echo "windows-check: $test did not pass under wine" >&2; exit 1; }
done

step "windows-check passed"
