#!/usr/bin/env bash
# Rewrites every golden file, generated doc and docs transcript after a
# deliberate change: go test -update in each package whose tests use
# internal/golden (the one golden flag). Read the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
	awk '/cprready\/internal\/golden( |$)/ {print $1}')
# shellcheck disable=SC2086
go test $pkgs -count=1 -update "$@"
git status --short
