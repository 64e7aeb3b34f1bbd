#!/usr/bin/env bash
# A sharded sweep on one machine with GNU parallel, then the merge (docs/scale-out.md):
# 3 shards, 2 at a time, each on one thread; the results are what
# `stratus sweep FILE --vary ... --reps N --out results/` writes, byte for byte.
#
#   docs/scale-out/parallel.sh          (small: about 1 s of CPU)
#   CHECK=1 docs/scale-out/parallel.sh  (also runs the unsharded sweep and compares)
#
# parts/ and results/ are made in the current directory. Environment: STRATUS (default:
# stratus on PATH, else build/stratus or build-release/stratus of this repository),
# SCENARIO (this repository's scenarios/web-two-az.yaml), VARY, REPS, DURATION, PARTS
# (parts), RESULTS (results), CHECK.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) # the repository

if [[ -z ${STRATUS:-} ]]; then
  if command -v stratus >/dev/null; then STRATUS=stratus
  elif [[ -x $ROOT/build/stratus ]]; then STRATUS=$ROOT/build/stratus
  elif [[ -x $ROOT/build-release/stratus ]]; then STRATUS=$ROOT/build-release/stratus
  else echo "parallel.sh: no stratus on PATH nor in build/ or build-release/; set STRATUS" >&2; exit 2
  fi
fi
if [[ -z ${SCENARIO:-} ]]; then
  SCENARIO=$ROOT/scenarios/web-two-az.yaml
  [[ $PWD/ == "$ROOT"/* ]] && SCENARIO=$(realpath --relative-to=. "$SCENARIO")
fi
VARY=${VARY:-instances.web.count=2..8:2}
REPS=${REPS:-3}
DURATION=${DURATION:-10m}
PARTS=${PARTS:-parts}
RESULTS=${RESULTS:-results}
command -v parallel >/dev/null || { echo "parallel.sh: GNU parallel is not installed" >&2; exit 2; }

# Partial results of an earlier sweep would make the merge refuse (other sweep, doubled
# pairs): start from an empty set.
mkdir -p "$PARTS"
rm -f "$PARTS"/part-*-of-*.sweep

parallel --will-cite -j 2 "$STRATUS" sweep "$SCENARIO" --vary "$VARY" --reps "$REPS" \
  --set "duration=$DURATION" --shard {}/3 --out "$PARTS/" --jobs 1 --quiet ::: 0 1 2
"$STRATUS" merge "$PARTS/" --out "$RESULTS/"

if [[ ${CHECK:-0} == 1 ]]; then
  whole=$(mktemp -d)
  trap 'rm -rf "$whole"' EXIT
  "$STRATUS" sweep "$SCENARIO" --vary "$VARY" --reps "$REPS" --set "duration=$DURATION" \
    --quiet --out "$whole" >/dev/null
  diff -r "$whole" "$RESULTS" && echo "parallel.sh: the merged results are the unsharded sweep's, byte for byte"
fi
