#!/usr/bin/env bash
# Installs Debian packages at the versions CI was made with (name=version
# …), only those not already at that version, and fails when one is not
# there afterwards: a newer package never slips into CI unnoticed.
set -euo pipefail
installed() { [ "$(dpkg-query -W -f '${Version}' "${1%%=*}" 2>/dev/null)" = "${1#*=}" ]; }
need=()
for p in "$@"; do installed "$p" || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" = "0" ] || SUDO="sudo"
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
for p in "$@"; do
	installed "$p" || { echo "apt-pinned: ${p%%=*} is $(dpkg-query -W -f '${Version}' "${p%%=*}" 2>/dev/null || echo missing), not ${p#*=}" >&2; exit 1; }
done
