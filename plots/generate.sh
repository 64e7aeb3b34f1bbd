#!/usr/bin/env bash
# Regenerates the gallery in plots/: for each shipped scenario, its architecture diagram
# and the charts of one run. Usage: plots/generate.sh [path/to/stratus]
# (or `meson compile -C build plots`, which passes the freshly built binary).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
stratus=${1:-$root/build/stratus}
[ -x "$stratus" ] || { echo "plots/generate.sh: no stratus binary at $stratus (build first)" >&2; exit 1; }

# autoscaling-diurnal simulates a whole day (about 93 M requests): about a minute with a
# release build, several with a debug or sanitizer build.
for scenario in web-two-az vpc-public-private autoscaling-diurnal three-tier; do
  file="$root/scenarios/$scenario.yaml"
  echo "plots: $scenario"
  "$stratus" diagram "$file" -o "$here/$scenario-diagram.png"
  tmp=$(mktemp -d)
  "$stratus" run "$file" --quiet --out "$tmp" --charts png > /dev/null
  mkdir -p "$here/$scenario"
  cp "$tmp"/*.png "$here/$scenario/"
  rm -rf "$tmp"
done
echo "plots: written under $here"
