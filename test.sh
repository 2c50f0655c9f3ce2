#!/usr/bin/env bash
# Runs the whole suite: the Cosmos emulator wrapper's own tests (node --test) and the .NET tests
# (unit, golden and integration tests against real Azurite and the Cosmos emulator started by the
# test fixtures). Prints one closing line "N passed, N failed". Bounded by a timeout so a hang fails fast.
set -uo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$REPO_ROOT"

SUITE_TIMEOUT=${SUITE_TIMEOUT:-1500}
RESULTS="$REPO_ROOT/TestResults"
mkdir -p "$RESULTS"
passed=0
failed=0

ensure_tools || { echo "0 passed, 1 failed"; exit 1; }

log "building (Release, warnings are errors)"
if ! dotnet build EventMonitor.sln -c Release -nologo -v q -warnaserror >"$RESULTS/build.log" 2>&1; then
  grep -E "error|warning" "$RESULTS/build.log" | sort -u | head -50
  echo "0 passed, 1 failed"
  exit 1
fi

if [ -d emulators/cosmos/test ]; then
  log "node --test emulators/cosmos/test"
  timeout 300 node --test --test-reporter=tap emulators/cosmos/test/ >"$RESULTS/cosmos-emulator.tap" 2>&1
  node_status=$?
  node_pass=$(grep -E '^# pass ' "$RESULTS/cosmos-emulator.tap" | awk '{print $3}')
  node_fail=$(grep -E '^# fail ' "$RESULTS/cosmos-emulator.tap" | awk '{print $3}')
  [ "$node_status" -ne 0 ] && [ "${node_fail:-0}" -eq 0 ] && node_fail=1
  grep -E '^not ok' -A 20 "$RESULTS/cosmos-emulator.tap" | head -80
  log "cosmos emulator tests: ${node_pass:-0} passed, ${node_fail:-0} failed"
  passed=$((passed + ${node_pass:-0}))
  failed=$((failed + ${node_fail:-0}))
fi

log ".NET tests (timeout ${SUITE_TIMEOUT}s)"
# An unfiltered run must produce every documented endpoint × status (checked after the last test).
[ $# -eq 0 ] && export EM_FULL_RUN=1
timeout --kill-after=30 "$SUITE_TIMEOUT" dotnet EventMonitor.Tests/bin/Release/net10.0/EventMonitor.Tests.dll \
  -noColor -longRunning 60 -result-xml "$RESULTS/dotnet.xml" "$@" 2>&1 | tee "$RESULTS/dotnet.log"
dotnet_status=${PIPESTATUS[0]}
summary=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$RESULTS/dotnet.log" | tail -1)
if [ -n "$summary" ]; then
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  dfailed=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  notrun=$(sed -nE 's/.*Not Run: ([0-9]+).*/\1/p' <<<"$summary")
  passed=$((passed + total - dfailed - skipped - ${notrun:-0}))
  failed=$((failed + dfailed + errors))
  # Nothing may be skipped: a skipped integration test is a failure here.
  failed=$((failed + skipped))
elif [ "$dotnet_status" -eq 124 ] || [ "$dotnet_status" -eq 137 ]; then
  log "the .NET tests hit the ${SUITE_TIMEOUT}s timeout"
  failed=$((failed + 1))
else
  failed=$((failed + 1))
fi
[ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
