#!/usr/bin/env bash
# Two stratus binaries measured alternately in one run: the figures of bench/run.sh that a
# change must keep (requests/s on M/M/c flat and in a VPC, the network's overhead, validate's
# time on the shipped VPC scenario and on 60,000 instances, memory at D and 10 D), each as a
# ratio NEW / OLD per round (median). Use it to show that a refactoring costs nothing:
#
#   bench/compare.sh OLD_STRATUS NEW_STRATUS
#
# Knobs: BENCH_ROUNDS (5), BENCH_DURATION (2000000s: ~6.4 M requests per run), BENCH_CPU (0).
set -euo pipefail
export LC_ALL=C
[[ $# == 2 ]] || { echo "usage: bench/compare.sh OLD_STRATUS NEW_STRATUS" >&2; exit 2; }
OLD=$1 NEW=$2
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-2000000s}
PIN=()
CPU=${BENCH_CPU-0}
if [[ -n $CPU ]] && command -v taskset >/dev/null && taskset -c "$CPU" true 2>/dev/null; then
  PIN=(taskset -c "$CPU")
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Seconds of wall time of one command.
timed() {
  local t0=$EPOCHREALTIME
  "${PIN[@]}" "$@" >/dev/null
  local t1=$EPOCHREALTIME
  echo "$t0 $t1" | awk '{printf "%.6f", $2 - $1}'
}

# requests/s of `stratus run FILE` (whole process).
rps() {
  local bin=$1 file=$2 out=$TMP/out.json
  local t0=$EPOCHREALTIME
  "${PIN[@]}" "$bin" run "$file" --format json --quiet --set duration="$DURATION" >"$out"
  local t1=$EPOCHREALTIME
  /usr/bin/python3 - "$out" "$t0" "$t1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("%.1f" % (d["requests"]["total"] / (float(sys.argv[3]) - float(sys.argv[2]))))
PY
}

# Seconds for `stratus validate` of the shipped VPC scenario, 200 times in a row.
validate_small() {
  local bin=$1 t0=$EPOCHREALTIME
  for _ in $(seq 200); do "${PIN[@]}" "$bin" validate "$SRC/scenarios/vpc-public-private.yaml" >/dev/null; done
  local t1=$EPOCHREALTIME
  echo "$t0 $t1" | awk '{printf "%.6f", $2 - $1}'
}

# Max RSS (KiB) of a run at duration $2.
rss() {
  /usr/bin/time -f %M "${PIN[@]}" "$1" run "$SRC/bench/mmc.yaml" --format json --quiet \
    --set duration="$2" 2>&1 >/dev/null | tail -1
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A vals
for round in $(seq "$ROUNDS"); do
  for which in old new; do
    bin=$OLD; [[ $which == new ]] && bin=$NEW
    flat=$(rps "$bin" "$SRC/bench/mmc.yaml")
    vpc=$(rps "$bin" "$SRC/bench/mmc-vpc.yaml")
    small=$(validate_small "$bin")
    big=$(timed "$bin" validate "$SRC/bench/validate-vpc.yaml" --set instances.web.count=60000)
    vals[$which.flat]+="$flat "
    vals[$which.vpc]+="$vpc "
    vals[$which.overhead]+="$(awk -v a="$flat" -v b="$vpc" 'BEGIN {printf "%.4f", a / b}') "
    vals[$which.small]+="$small "
    vals[$which.big]+="$big "
    echo "round $round $which: flat $flat req/s, vpc $vpc req/s, validate x200 ${small}s, validate 60k ${big}s" >&2
  done
done
for which in old new; do
  bin=$OLD; [[ $which == new ]] && bin=$NEW
  vals[$which.rss1]=$(rss "$bin" 1000000s)
  vals[$which.rss10]=$(rss "$bin" 10000000s)
done

printf '\n%-36s %14s %14s %10s\n' "figure (median of $ROUNDS rounds)" old new "new/old"
row() {
  local name=$1 key=$2 o n
  o=$(tr ' ' '\n' <<<"${vals[old.$key]}" | grep . | median)
  n=$(tr ' ' '\n' <<<"${vals[new.$key]}" | grep . | median)
  printf '%-36s %14s %14s %10s\n' "$name" "$o" "$n" "$(awk -v a="$o" -v b="$n" 'BEGIN {printf "%.3f", b / a}')"
}
row "M/M/c requests/s (flat)" flat
row "M/M/c requests/s (VPC)" vpc
row "network overhead (flat/vpc cost)" overhead
row "validate vpc-public-private x200 (s)" small
row "validate 60,000 instances (s)" big
row "max RSS at 1e6 s (KiB)" rss1
row "max RSS at 1e7 s (KiB)" rss10
