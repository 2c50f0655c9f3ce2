# Shared by run.sh and test.sh: install what the repo needs and run the local emulators as process groups.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
COSMOS_KEY='C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XyHCtA=='
STARTED_GROUPS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Installs node/npm and chromium (Debian) only when missing, checks for .NET, then the pinned npm packages from the lockfile.
ensure_tools() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    log "installing Node.js and npm from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  # The dashboard's browser tests drive Debian's chromium (Playwright's own browser download does not work here).
  if [ ! -x /usr/bin/chromium ]; then
    log "installing chromium from Debian (for the dashboard's browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET SDK (dotnet) is required; this machine kind ships it." >&2
    return 1
  fi
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$REPO_ROOT/package-lock.json" -nt "$stamp" ]; then
    log "npm ci (pinned emulators)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# Prints a free TCP port on 127.0.0.1 (optionally the first of N consecutive free ports).
free_port() {
  local count=${1:-1}
  python3 - "$count" <<'PY'
import socket, sys
count = int(sys.argv[1])
for base in range(20000, 60000, 7):
    socks = []
    try:
        for p in range(base, base + count):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
PY
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2 deadline=$((SECONDS + ${3:-60}))
  until port_in_use "$port"; do
    if [ $SECONDS -ge $deadline ]; then log "$name did not open port $port"; return 1; fi
    sleep 0.2
  done
}

# Starts a command in its own process group (setsid) and remembers the group for stop_all.
start_group() {
  local logfile=$1; shift
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  STARTED_GROUPS+=("$!")
}

stop_all() {
  local pid
  for pid in "${STARTED_GROUPS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${STARTED_GROUPS[@]}"; do
    for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  STARTED_GROUPS=()
}

# Azurite in memory on three consecutive ports: blob, queue, table.
start_azurite() {
  local base=$1 dir=$2
  start_group "$dir/azurite.log" node "$REPO_ROOT/node_modules/azurite/dist/src/azurite.js" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --blobPort "$base" --queueHost 127.0.0.1 --queuePort $((base + 1)) \
    --tableHost 127.0.0.1 --tablePort $((base + 2))
  wait_port "$base" azurite && wait_port $((base + 1)) azurite
}

start_cosmos() {
  local port=$1 dir=$2
  start_group "$dir/cosmos.log" node "$REPO_ROOT/emulators/cosmos/server.js" --port "$port"
  wait_port "$port" cosmos-emulator
}

storage_connection_string() {
  local base=$1
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$base/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((base + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((base + 2))/devstoreaccount1;"
}

cosmos_connection_string() { echo "AccountEndpoint=http://127.0.0.1:$1/;AccountKey=$COSMOS_KEY;"; }
