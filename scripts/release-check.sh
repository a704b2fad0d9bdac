#!/usr/bin/env bash
# Checks the release configuration with the pinned goreleaser, builds a
# snapshot of every archive twice and verifies that the two are the same
# byte for byte (reproducible), that each archive holds the binary, the
# shell completions and the man pages, and has its SBOM, and that the
# checksums cover them. CI runs it; so can you.
set -euo pipefail
cd "$(dirname "$0")/.."
GORELEASER_VERSION=v2.15.1
CYCLONEDX_GOMOD_VERSION=v1.10.0
tools="$(pwd)/.ci/bin"
# Pinned tools, installed with Go; one found already installed is used
# only when it is the pinned version.
if [ ! -x "$tools/goreleaser" ] || ! "$tools/goreleaser" --version 2>/dev/null | grep -q "GitVersion: *${GORELEASER_VERSION#v}$"; then
	GOBIN="$tools" GOFLAGS= go install "github.com/goreleaser/goreleaser/v2@${GORELEASER_VERSION}"
fi
if [ ! -x "$tools/cyclonedx-gomod" ] || ! "$tools/cyclonedx-gomod" version 2>/dev/null | grep -q "Version:[[:space:]]*${CYCLONEDX_GOMOD_VERSION}$"; then
	GOBIN="$tools" GOFLAGS= go install "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@${CYCLONEDX_GOMOD_VERSION}"
fi
export PATH="$tools:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tools/goreleaser" check
snapshot() {
	"$tools/goreleaser" release --snapshot --clean --skip=publish,announce > "$work/snapshot-$1.log" 2>&1 || { tail -30 "$work/snapshot-$1.log"; exit 1; }
	cp dist/checksums.txt "$work/checksums-$1.txt"
}
snapshot 1
snapshot 2
if ! cmp -s "$work/checksums-1.txt" "$work/checksums-2.txt"; then
	echo "release-check: two snapshots of one commit differ (not reproducible):" >&2
	diff "$work/checksums-1.txt" "$work/checksums-2.txt" >&2 || true
	exit 1
fi
n=0
for a in dist/*.tar.gz dist/*.zip; do
	[ -e "$a" ] || continue
	list=$(go run ./scripts/archivels "$a")
	for want in cprready completions/cprready.bash completions/cprready.zsh completions/cprready.fish completions/cprready.powershell manpages/cprready.1.gz manpages/cprready-check.1.gz README.md docs/checks.md; do
		grep -q "$want" <<<"$list" || { echo "release-check: $a lacks $want" >&2; exit 1; }
	done
	base=$(basename "$a"); base=${base%.tar.gz}; base=${base%.zip}
	sbom="dist/$base.cdx.json"
	[ -s "$sbom" ] && grep -q '"bomFormat": "CycloneDX"' "$sbom" || { echo "release-check: $a has no SBOM ($sbom)" >&2; exit 1; }
	grep -q " $base\.\(tar\.gz\|zip\)$" dist/checksums.txt || { echo "release-check: $a is not in checksums.txt" >&2; exit 1; }
	n=$((n + 1))
done
[ "$n" -eq 6 ] || { echo "release-check: expected 6 archives, found $n" >&2; exit 1; }
echo "release-check: goreleaser $GORELEASER_VERSION check passed; 6 archives with completions, man pages and an SBOM each (cyclonedx-gomod $CYCLONEDX_GOMOD_VERSION); two snapshots of one commit are identical ($(sha256sum dist/checksums.txt | cut -c1-12))"
