#!/bin/sh
# Generates shell completions and man pages from the cobra command tree,
# for the release archives (goreleaser runs it before building).
set -eu
cd "$(dirname "$0")/.."
rm -rf completions manpages
mkdir -p completions manpages
for sh in bash zsh fish powershell; do
	go run ./cmd/cprready completion "$sh" > "completions/cprready.$sh"
done
go run ./cmd/cprready man --dir manpages > /dev/null
gzip -9nf manpages/*.1
