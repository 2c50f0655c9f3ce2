#!/usr/bin/env bash
# End-to-end benchmark: N session pages (default 1,000) served from 127.0.0.1 go through the whole app
# as one batch — API, fan-out, Storage queue, standalone trigger runner, worker, Cosmos and Blob on the
# local emulators — and then through the convert CLI on the same pages in the same run. Reports
# sessions/s, storage requests per job (counted by a pass-through proxy in front of each emulator,
# from the POST to the batch's end, the status polls included), the app's CPU time per session
# against the CLI's, and checks every stored Markdown file against the CLI's output for the same
# page. Not a test; never gates CI.
# Usage: bench/e2e-bench.sh [N] [path-to-shared/data]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$REPO_ROOT"

N=${1:-1000}
DATA=${2:-$REPO_ROOT/../shared/data}
WORK=$(mktemp -d)
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
now() { date +%s.%N; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

ensure_tools
log "building"
dotnet build EventMonitor.Functions -c Release -nologo -v q -o "$WORK/app" >/dev/null

PAGES_PORT=$(free_port 1)
ORIGIN="http://127.0.0.1:$PAGES_PORT"
python3 bench/make-e2e-pages.py "$N" "$WORK/pages" "$ORIGIN" "$DATA" >&2
start_group "$WORK/pages.log" python3 -m http.server "$PAGES_PORT" --bind 127.0.0.1 --directory "$WORK/pages"
wait_port "$PAGES_PORT" pages

AZURITE_PORT=$(free_port 3)
start_azurite "$AZURITE_PORT" "$WORK"
COSMOS_PORT=$(free_port 1)
start_cosmos "$COSMOS_PORT" "$WORK"
PROXY_PORT=$(free_port 3)
start_group "$WORK/proxy.log" node bench/count-proxy.js "$WORK/storage.json" \
  "blob:$PROXY_PORT:$AZURITE_PORT" "queue:$((PROXY_PORT + 1)):$((AZURITE_PORT + 1))" "cosmos:$((PROXY_PORT + 2)):$COSMOS_PORT"
PROXY_PID=${STARTED_GROUPS[-1]}
wait_port "$((PROXY_PORT + 2))" proxy

APP_PORT=$(free_port 1)
API="http://127.0.0.1:$APP_PORT"
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$API" \
Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$PROXY_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((PROXY_PORT + 1))/devstoreaccount1;" \
Storage__CosmosConnectionString="AccountEndpoint=http://127.0.0.1:$((PROXY_PORT + 2))/;AccountKey=$COSMOS_KEY;" \
Storage__CosmosGatewayOnly=true COSMOS_DISABLE_IMDS_ACCESS=true Auth__AllowAnonymousLoopback=true \
Fetch__AllowedOrigins__0="$ORIGIN" Logging__LogLevel__Default=Warning \
  dotnet "$WORK/app/EventMonitor.Functions.dll" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "$API/" >/dev/null && break; sleep 0.5; done

log "end to end: one batch of $N sessions"
kill -USR1 "$PROXY_PID"
cpu0=$(cpu_seconds "$APP_PID"); t0=$(now)
BATCH=$(curl -sf -X POST "$API/api/event-job/batches" -H 'Content-Type: application/json' --data-binary @"$WORK/pages/batch.json" | json 'd["data"]["batch_id"]')
accepted=$(now)
while true; do
  status=$(curl -sf "$API/api/event-job/batches/$BATCH?limit=1" | json '"%s %s %s" % (d["data"]["status"], d["data"]["completed_count"], d["data"]["failed_count"])')
  case "$status" in completed* | cancelled*) break ;; esac
  sleep 0.5
done
t1=$(now); cpu1=$(cpu_seconds "$APP_PID")
kill -USR2 "$PROXY_PID"
log "batch $BATCH: $status"

# Every stored Markdown file, keyed by its page's number, for the comparison with the CLI.
mkdir -p "$WORK/stored"
for skip in $(seq 0 500 $((N - 1))); do
  curl -sf "$API/api/event-job/batches/$BATCH?limit=500&skip=$skip" |
    json '"\n".join(j["parameters"]["url"] + " " + j["results"]["markdown_file"] for j in d["data"]["jobs"] if j["results"])'
done | while read -r url path; do
  n=$((10#$(basename "$url" .html | sed 's/session-//')))
  curl -sf "$API/api/event-job/files/$path" -o "$WORK/stored/$n.md"
done

log "convert CLI on the same $N pages"
mapfile -t URLS <"$WORK/pages/urls.txt"
/usr/bin/time -f "%e %U %S" -o "$WORK/cli.time" \
  dotnet "$WORK/app/EventMonitor.Functions.dll" convert --allow-origin "$ORIGIN" --out-dir "$WORK/cli" "${URLS[@]}" 2>"$WORK/cli.log" >/dev/null
read -r cli_wall cli_user cli_sys <"$WORK/cli.time"
same=0
for f in "$WORK"/cli/*.md; do cmp -s "$f" "$WORK/stored/$(basename "$f")" && same=$((same + 1)); done

python3 - "$WORK/storage.json.start" "$WORK/storage.json.end" <<EOF
import json, sys
n = $N
start, end = (json.load(open(p)) for p in sys.argv[1:])
ops = {k: end.get(k, 0) - start.get(k, 0) for k in sorted(end)}
e2e_wall = $t1 - $t0
e2e_cpu = $cpu1 - $cpu0
cli_wall, cli_cpu = $cli_wall, $cli_user + $cli_sys
print(f"sessions: {n}; batch status: $status (completed, failed); stored files equal to the CLI's: $same of {n}")
print(f"accepted in {$accepted - $t0:.2f} s; end to end {e2e_wall:.1f} s = {n / e2e_wall:.1f} sessions/s")
print(f"convert CLI (one at a time): {cli_wall:.1f} s = {n / cli_wall:.1f} sessions/s")
print(f"app CPU {1000 * e2e_cpu / n:.1f} ms per session vs CLI CPU {1000 * cli_cpu / n:.1f} ms per session: overhead ratio {e2e_cpu / cli_cpu:.2f}")
print(f"storage requests per job: {sum(ops.values()) / n:.1f}")
for k, v in ops.items():
    print(f"  {k:14} {v:7} ({v / n:.2f} per job)")
EOF
