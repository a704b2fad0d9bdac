#!/usr/bin/env bash
# Checks the Prometheus side of `cprready watch` with the real promtool:
# the example rules (check + unit tests), the scrape config, and the live
# /metrics of a watcher against the emulator; then the issue's story end to
# end with the real binaries: ready, a fault appears (the platform refuses
# the egress address), NOT READY with the whitelist diagnosis, the fault
# goes, ready again, SIGTERM stops it with exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."

# promtool and curl at the versions CI was made with (Debian bookworm).
scripts/apt-pinned.sh prometheus=2.42.0+ds-5+deb12u1 curl=7.88.1-10+deb12u14

echo "-- promtool: rules, rule unit tests, scrape config"
promtool check rules examples/prometheus/alerts.yml
promtool test rules examples/prometheus/alerts_test.yml
promtool check config examples/prometheus/prometheus.yml

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/cprready" ./cmd/cprready
"$tmp/cprready" emulator --state "$tmp/emu" --addr 127.0.0.1:0 --control 127.0.0.1:0 --quiet 2>"$tmp/emu.log" &
pids+=($!)

# wait_for FILE REGEX: until FILE matches (30s at most).
wait_for() {
	for _ in $(seq 300); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for /$2/ in $1:"; cat "$1"; exit 1
}
wait_for "$tmp/emu.log" '^control: http://'
control=$(sed -n 's#^control: \(http://[0-9.:]*\)/faults.*#\1#p' "$tmp/emu.log")

"$tmp/cprready" watch --profile "$tmp/emu/public.yaml" --profile "$tmp/emu/private.yaml" \
	--listen 127.0.0.1:0 --interval 1s --log-format json 2>"$tmp/watch.log" &
watch_pid=$!
pids+=($watch_pid)
wait_for "$tmp/watch.log" 'status page http://'
base=$(sed -n 's#.*status page \(http://[0-9.:]*\)/ .*#\1#p' "$tmp/watch.log")

# metric_is NAME_AND_LABELS VALUE: until /metrics has that sample.
metric_is() {
	for _ in $(seq 300); do
		curl -fsS "$base/metrics" >"$tmp/metrics.txt" && grep -Fq "$1 $2" "$tmp/metrics.txt" && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1 $2:"; grep -F "${1%%\{*}" "$tmp/metrics.txt" || true; cat "$tmp/watch.log"; exit 1
}

echo "-- ready while all is well"
metric_is 'cprready_ready{profile="public"}' 1
metric_is 'cprready_ready{profile="private"}' 1

echo "-- promtool check metrics on the live /metrics"
grep -q '^# TYPE cprready_check_success gauge' "$tmp/metrics.txt"
promtool check metrics <"$tmp/metrics.txt"

echo "-- the platform starts refusing the egress address"
curl -fsS -X PUT --data ip-not-whitelisted "$control/faults" >/dev/null
metric_is 'cprready_ready{profile="public"}' 0
metric_is 'cprready_check_success{check="graphql.protected",it_system="Borgerservice GraphQL",profile="public",subject="it_systems[0].credentials.oauth_shared_secrets[0]"}' 0
promtool check metrics <"$tmp/metrics.txt"
curl -fsS "$base/" >"$tmp/page.html"
grep -q 'NOT READY' "$tmp/page.html"
grep -q 'is not in the whitelist of IT-system Borgerservice GraphQL' "$tmp/page.html"
wait_for "$tmp/watch.log" '"msg":"graphql.protected fails".*"cause":"ip-not-verified"'

echo "-- the fault goes: ready again"
curl -fsS -X DELETE "$control/faults" >/dev/null
metric_is 'cprready_ready{profile="public"}' 1
wait_for "$tmp/watch.log" '"msg":"graphql.protected recovered"'
curl -fsS "$base/healthz" | grep -qx ok

echo "-- no secret in /metrics, the page or the log"
for f in "$tmp"/emu/secrets/*; do
	s=$(tr -d '\r\n' <"$f")
	[ -n "$s" ] || continue
	if grep -RFq -- "$s" "$tmp/metrics.txt" "$tmp/page.html" "$tmp/watch.log"; then
		echo "a secret from $(basename "$f") leaked"; exit 1
	fi
done

echo "-- SIGTERM stops it: exit 0"
kill -TERM "$watch_pid"
status=0
wait "$watch_pid" || status=$?
[ "$status" = 0 ] || { echo "watch exited $status after SIGTERM"; cat "$tmp/watch.log"; exit 1; }
grep -q '"msg":"stopped"' "$tmp/watch.log"
echo "watch check passed"
