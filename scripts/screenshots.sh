#!/usr/bin/env bash
# Copies the dashboard screenshots the browser tests wrote (TestResults/screenshots) into docs/screenshots.
# Run the dashboard tests first, e.g.:
#   dotnet EventMonitor.Tests/bin/Debug/net10.0/EventMonitor.Tests.dll -namespace EventMonitor.Tests.Dashboard
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
from="$root/TestResults/screenshots"
to="$root/docs/screenshots"
names=(overview batches job-details)
sizes=(1280x800 390x844)
mkdir -p "$to"
missing=0
for name in "${names[@]}"; do
  for size in "${sizes[@]}"; do
    file="$name-$size.png"
    if [ -f "$from/$file" ]; then
      cp "$from/$file" "$to/$file"
      echo "copied $file"
    else
      echo "missing $from/$file (run the dashboard tests first)" >&2
      missing=1
    fi
  done
done
exit "$missing"
