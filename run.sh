#!/usr/bin/env bash
# Runs Event Monitor locally: Azurite and the Cosmos emulator (in memory), then the app in Development
# on http://localhost:${PORT:-7071} with its standalone trigger runner. Ctrl-C (SIGINT) or SIGTERM stops all of it.
set -euo pipefail
# A shell started in the background inherits SIGINT as ignored and could never trap it: reset it once.
if [ -z "${EM_SIGNALS_RESET:-}" ]; then export EM_SIGNALS_RESET=1; exec env --default-signal=INT,TERM "$0" "$@"; fi
source "$(dirname "$0")/scripts/lib.sh"

PORT=${PORT:-7071}
# Pages on loopback may be fetched only from these exact origins (Development only).
FETCH_ALLOW=${EM_FETCH_ALLOW:-http://127.0.0.1:8000}
STATE_DIR="$REPO_ROOT/.run"
APP_PID=""

shutdown() {
  trap - INT TERM EXIT
  log "stopping"
  if [ -n "$APP_PID" ]; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  stop_all
  exit "${1:-0}"
}
trap 'shutdown 130' INT
trap 'shutdown 143' TERM
trap 'shutdown $?' EXIT

ensure_tools
mkdir -p "$STATE_DIR"
if port_in_use "$PORT"; then log "port $PORT is taken; set PORT to another one"; exit 1; fi

log "building"
dotnet build "$REPO_ROOT/EventMonitor.Functions" -c Release -nologo -v q -o "$STATE_DIR/app" >&2

AZURITE_PORT=$(free_port 3)
start_azurite "$AZURITE_PORT" "$STATE_DIR"
COSMOS_PORT=$(free_port 1)
start_cosmos "$COSMOS_PORT" "$STATE_DIR"
log "azurite on 127.0.0.1:$AZURITE_PORT-$((AZURITE_PORT + 2)), cosmos emulator on 127.0.0.1:$COSMOS_PORT"

export ASPNETCORE_ENVIRONMENT=Development
export ASPNETCORE_URLS="http://localhost:$PORT"
export Storage__ConnectionString; Storage__ConnectionString=$(storage_connection_string "$AZURITE_PORT")
export Storage__CosmosConnectionString; Storage__CosmosConnectionString=$(cosmos_connection_string "$COSMOS_PORT")
export Storage__CosmosGatewayOnly=true
export COSMOS_DISABLE_IMDS_ACCESS=true
export Auth__AllowAnonymousLoopback=true
export Fetch__AllowedOrigins__0="$FETCH_ALLOW"

# The app runs as a child (not exec) so this script's traps stop the emulators when it ends.
dotnet "$STATE_DIR/app/EventMonitor.Functions.dll" &
APP_PID=$!
log "Event Monitor on http://localhost:$PORT (anonymous loopback access on; fetches allowed from $FETCH_ALLOW)"
set +e
wait "$APP_PID"
status=$?
APP_PID=""
shutdown "$status"
