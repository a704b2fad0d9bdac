#!/bin/sh
# Generates shell completions and man pages from the cobra command tree,
# for the release archives (goreleaser runs it before building).
set -eu
cd "$(dirname "$0")/.."
# The man pages carry the commit's date, not today's: a release rebuilt
# from the same commit is the same (cobra reads SOURCE_DATE_EPOCH).
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
rm -rf completions manpages
mkdir -p completions manpages
for sh in bash zsh fish powershell; do
	go run ./cmd/cprready completion "$sh" > "completions/cprready.$sh"
done
go run ./cmd/cprready man --dir manpages > /dev/null
gzip -9nf manpages/*.1
