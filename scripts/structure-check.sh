#!/usr/bin/env bash
# Keeps the structure the next maintainer relies on: no dead code, go fix
# has nothing to modernise, no source file over 500 lines, thin commands.
set -euo pipefail
cd "$(dirname "$0")/.."

DEADCODE_VERSION=v0.52.0 # golang.org/x/tools
tools="$(pwd)/.ci/bin"
# Installed again when the binary there is another version (go version -m
# names the module it was built from).
if [ ! -x "$tools/deadcode" ] || ! go version -m "$tools/deadcode" | grep -q "golang.org/x/tools[[:space:]]*${DEADCODE_VERSION}[[:space:]]"; then
	GOBIN="$tools" GOFLAGS= go install "golang.org/x/tools/cmd/deadcode@${DEADCODE_VERSION}"
fi

echo "-- deadcode -test ./..."
dead=$("$tools/deadcode" -test ./...)
if [ -n "$dead" ]; then echo "$dead"; exit 1; fi

echo "-- go fix -diff ./..."
fixes=$(go fix -diff ./... 2>&1)
if [ -n "$fixes" ]; then echo "$fixes" | head -50; exit 1; fi

echo "-- no non-test Go file over 500 lines"
long=$(git ls-files '*.go' | grep -v '_test\.go$' | xargs wc -l | awk '$2 != "total" && $1 > 500 {print}')
if [ -n "$long" ]; then echo "$long"; exit 1; fi

echo "-- cmd/cprready at most 1,500 lines of code (no blanks, no comment lines)"
loc=$(git ls-files 'cmd/cprready/*.go' | grep -v '_test\.go$' | xargs grep -hcv '^\s*$\|^\s*//' | awk '{s+=$1} END {print s}')
echo "cmd/cprready: $loc lines of code"
[ "$loc" -le 1500 ]
