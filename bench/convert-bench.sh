#!/usr/bin/env bash
# Conversion benchmark: our converter (the worker's code path after the fetch) vs Turndown, on the
# same corpus, one core each (taskset -c 0), warm, median of 5 rounds. Not a test; never gates CI.
# Usage: bench/convert-bench.sh [path-to-shared/data]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/.."
data="${1:-$repo/../shared/data}"
python3 "$here/make-pages.py" "$data"
(cd "$here" && [ -d node_modules/turndown ] || npm install --no-audit --no-fund --silent)
dotnet build "$repo/EventMonitor.Functions" -c Release -v q -nologo >/dev/null
pin=""; command -v taskset >/dev/null && pin="taskset -c 0"
$pin dotnet "$repo/EventMonitor.Functions/bin/Release/net10.0/EventMonitor.Functions.dll" convert --bench "$here/pages" --rounds 5
$pin node "$here/turndown-bench.js" "$here/pages" 5
