#!/usr/bin/env bash
# Runs `cprready demo` in a real terminal (tmux), waits for the runner to
# reach its verdict, checks the screen, quits with q and checks exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
sock="cprready-ci-$$"
go build -o "$work/cprready" ./cmd/cprready

tmux -L "$sock" new-session -d -s demo -x 100 -y 32 \
	"env TERM=xterm-256color HOME=$work XDG_CONFIG_HOME=$work/config $work/cprready demo; echo \$? > $work/exit; sleep 2"

screen=""
for _ in $(seq 1 150); do
	screen=$(tmux -L "$sock" capture-pane -t demo -p 2>/dev/null || true)
	if grep -q "^READY\|^NOT READY" <<<"$screen"; then
		break
	fi
	sleep 0.2
done
echo "$screen" > "$work/screen.txt"
cat "$work/screen.txt"

fail() { echo "tui-demo: $*" >&2; exit 1; }
grep -q "^READY  0 fail" <<<"$screen" || fail "the runner did not reach READY"
grep -q "✓ org.cvr" <<<"$screen" || fail "no ✓ rows on screen"
grep -q "q quit" <<<"$screen" || fail "no key help on screen"
[ "$(grep -c '✓' <<<"$screen")" -ge 10 ] || fail "fewer than 10 ✓ rows"

tmux -L "$sock" send-keys -t demo q
for _ in $(seq 1 50); do
	[ -s "$work/exit" ] && break
	sleep 0.2
done
[ -s "$work/exit" ] || fail "q did not quit"
code=$(cat "$work/exit")
[ "$code" = "0" ] || fail "exit code $code after q, want 0"
echo "tui-demo: READY shown, ✓ rows shown, q quit with exit 0"
