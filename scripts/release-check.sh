#!/usr/bin/env bash
# Checks the release configuration with the pinned goreleaser, builds a
# snapshot of every archive, and verifies each holds the binary, the shell
# completions and the man pages. CI runs it; so can you.
set -euo pipefail
cd "$(dirname "$0")/.."
GORELEASER_VERSION=v2.15.1
tools="$(pwd)/.ci/bin"
if [ ! -x "$tools/goreleaser" ] || ! "$tools/goreleaser" --version 2>/dev/null | grep -q "${GORELEASER_VERSION#v}"; then
	GOBIN="$tools" GOFLAGS= go install "github.com/goreleaser/goreleaser/v2@${GORELEASER_VERSION}"
fi
"$tools/goreleaser" check
"$tools/goreleaser" release --snapshot --clean --skip=publish,announce > /tmp/goreleaser-snapshot.log 2>&1 || { tail -30 /tmp/goreleaser-snapshot.log; exit 1; }
n=0
for a in dist/*.tar.gz dist/*.zip; do
	[ -e "$a" ] || continue
	list=$(go run ./scripts/archivels "$a")
	for want in cprready completions/cprready.bash completions/cprready.zsh completions/cprready.fish completions/cprready.powershell manpages/cprready.1.gz manpages/cprready-check.1.gz README.md docs/checks.md; do
		grep -q "$want" <<<"$list" || { echo "release-check: $a lacks $want" >&2; exit 1; }
	done
	n=$((n + 1))
done
[ "$n" -eq 6 ] || { echo "release-check: expected 6 archives, found $n" >&2; exit 1; }
grep -q checksums.txt <<<"$(ls dist)" || { echo "release-check: no checksums" >&2; exit 1; }
echo "release-check: goreleaser $GORELEASER_VERSION check passed; 6 archives with completions and man pages"
