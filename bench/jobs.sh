#!/usr/bin/env bash
# Replications on threads: `stratus run scenarios/web-two-az.yaml --reps 8` with --jobs 1
# and with --jobs 2, alternating, JOBS_ROUNDS rounds (3 by default, at least 3 for a
# verdict). Prints every round, both medians and the ratio jobs2 / jobs1 (of the medians),
# and checks that every report is the same bytes as the first. See bench/README.md, part (i).
#
#   bench/jobs.sh [SOURCE_ROOT]
#
# Target (the issue on --jobs): on a 2-core machine, --jobs 2 takes at most 0.6 times as
# long as --jobs 1. Exit status: 0 met (or skipped: fewer than 2 processors, or
# BENCH_QUICK=1); 1 not met, or the reports differ; 2 a setup failure.
#
# Knobs (environment): STRATUS (the binary to measure; default: BENCH_BUILD_DIR/stratus,
# a release build configured and built like bench/run.sh's), BENCH_BUILD_DIR
# (SOURCE_ROOT/build-release), JOBS_ROUNDS (3), JOBS_DURATION (90m: one --jobs 1 run takes
# about 4 s of CPU), JOBS_TARGET (0.6), BENCH_QUICK=1 (one short round; figures mean
# nothing, the target is not checked), BENCH_WAIT_IDLE (0: seconds each round may wait
# for the machine to be idle before it starts). Nothing is pinned: both runs may use every
# core.
set -euo pipefail
export LC_ALL=C # '.' decimal points everywhere ($EPOCHREALTIME, printf)

SRC=${1:-${MESON_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}}
SRC=$(cd "$SRC" && pwd)
BUILD=${BENCH_BUILD_DIR:-$SRC/build-release}
PY=/usr/bin/python3
ROUNDS=${JOBS_ROUNDS:-3}
DURATION=${JOBS_DURATION:-90m}
TARGET=${JOBS_TARGET:-0.6}
MIN_ROUNDS=3
if [[ ${BENCH_QUICK:-0} == 1 ]]; then ROUNDS=1 DURATION=10m; fi
SCENARIO=$SRC/scenarios/web-two-az.yaml
REPS=8

die() { echo "bench/jobs: $*" >&2; exit 2; }
calc() { "$PY" -c "import statistics as st; print($1)"; }
join() { local IFS=,; echo "$*"; }

cpus=$(nproc)
echo "== (i) replications on threads: stratus run scenarios/web-two-az.yaml --reps $REPS" \
  "--set duration=$DURATION, --jobs 1 against --jobs 2"
if ((cpus < 2)); then
  echo "   skipped: $cpus processor available here (nproc), so --jobs 2 cannot be faster than" \
    "--jobs 1; run it on a machine (or CPU set) with at least 2"
  echo "jobs result=skipped cpus=$cpus"
  exit 0
fi

# ---- the binary: STRATUS, or the release build ----------------------------------------------
if [[ -z ${STRATUS:-} ]]; then
  if [[ ! -f $BUILD/build.ninja ]]; then
    echo "   configuring a release build in $BUILD"
    meson setup "$BUILD" "$SRC" --buildtype=release -Db_sanitize=none >/dev/null \
      || die "meson setup $BUILD failed"
  fi
  buildtype=$(meson introspect --buildoptions "$BUILD" \
    | "$PY" -c 'import json,sys; o={x["name"]:x["value"] for x in json.load(sys.stdin)}; print(o["buildtype"], o["b_sanitize"])')
  [[ $buildtype == "release none" ]] \
    || die "$BUILD is '$buildtype', not a release build without sanitizers (set BENCH_BUILD_DIR)"
  ninja -C "$BUILD" stratus >/dev/null || die "build of $BUILD failed"
  STRATUS=$BUILD/stratus
fi
[[ -x $STRATUS ]] || die "$STRATUS is not an executable"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/stratus-bench-jobs.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# wait_idle: with BENCH_WAIT_IDLE=S (seconds, default 0 = never wait), waits up to S seconds
# for a second in which the machine's CPUs are at least 90 % idle (from /proc/stat), so
# that a comparison is not made while other work holds the cores; counts the waits that
# timed out in IDLE_TIMEOUTS.
IDLE_TIMEOUTS=0
idle_fraction() { # over one second
  local a b c d e f g h t1 i1
  read -r _ a b c d e f g h _ </proc/stat; t1=$((a + b + c + d + e + f + g + h)) i1=$((d + e))
  sleep 1
  read -r _ a b c d e f g h _ </proc/stat
  echo $(((d + e - i1) * 100 / (a + b + c + d + e + f + g + h - t1 + 1)))
}
wait_idle() {
  local limit=${BENCH_WAIT_IDLE:-0} start=$SECONDS
  ((limit > 0)) && [[ -r /proc/stat ]] || return 0
  while (($(idle_fraction) < 90)); do
    ((SECONDS - start < limit)) || { IDLE_TIMEOUTS=$((IDLE_TIMEOUTS + 1)); return 0; }
  done
}

# run_jobs K REPORT: prints "wall_seconds cpu_seconds" (cpu "?" without GNU time).
run_jobs() {
  local t0 t1 cpu="?" cmd=("$STRATUS" run "$SCENARIO" --reps "$REPS" --jobs "$1"
    --set "duration=$DURATION" --format json --quiet)
  t0=$EPOCHREALTIME
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '%U %S' -o "$OUT/time" "${cmd[@]}" >"$2" || die "${cmd[*]} failed"
    t1=$EPOCHREALTIME
    cpu=$(calc "round($(tr ' ' + <"$OUT/time"), 2)")
  else
    "${cmd[@]}" >"$2" || die "${cmd[*]} failed"
    t1=$EPOCHREALTIME
  fi
  echo "$(calc "$t1 - $t0") $cpu"
}

# cpu_note CPU WALL: "cpu 4.02 s, 1.96 cores busy": how many cores the run had on average.
cpu_note() {
  if [[ $1 == "?" ]]; then echo "cpu time unknown"; else
    printf 'cpu %.2f s, %.2f cores busy' "$1" "$(calc "$1 / $2")"; fi
}

echo "   $cpus processors; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
w1=() w2=() c1=() c2=() differ=0
for ((i = 1; i <= ROUNDS; i++)); do
  # Alternate the order, so that a drift of the machine falls on both alike.
  order=(1 2)
  ((i % 2 == 0)) && order=(2 1)
  wait_idle
  for k in "${order[@]}"; do
    r=$(run_jobs "$k" "$OUT/report-$k-$i.json")
    read -r wall cpu <<<"$r"
    if ((k == 1)); then w1+=("$wall") c1+=("$cpu"); else w2+=("$wall") c2+=("$cpu"); fi
  done
  printf '   round %d: --jobs 1 %.2f s (%s), --jobs 2 %.2f s (%s), ratio %.3f\n' "$i" \
    "${w1[-1]}" "$(cpu_note "${c1[-1]}" "${w1[-1]}")" "${w2[-1]}" "$(cpu_note "${c2[-1]}" "${w2[-1]}")" \
    "$(calc "${w2[-1]} / ${w1[-1]}")"
done
for f in "$OUT"/report-*.json; do cmp -s "$OUT/report-1-1.json" "$f" || differ=1; done
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((${BENCH_WAIT_IDLE:-0} > 0)); then
  echo "   each round waited up to ${BENCH_WAIT_IDLE} s for an idle second; $IDLE_TIMEOUTS of $ROUNDS started without one"
fi
m1=$(calc "st.median([$(join "${w1[@]}")])")
m2=$(calc "st.median([$(join "${w2[@]}")])")
ratio=$(calc "round($m2 / $m1, 3)")
printf '   median --jobs 1: %.2f s; median --jobs 2: %.2f s; ratio jobs2 / jobs1: %.3f (target <= %s)\n' \
  "$m1" "$m2" "$ratio" "$TARGET"
if ((differ)); then
  echo "   reports: DIFFER between runs (they must be the same bytes whatever --jobs)"
else
  echo "   reports: the same bytes in all $((2 * ROUNDS)) runs (--format json, every figure at full precision)"
fi

status=0 verdict=met
if ((differ)); then
  status=1 verdict=reports-differ
elif [[ ${BENCH_QUICK:-0} == 1 ]] || ((ROUNDS < MIN_ROUNDS)); then
  verdict=unchecked
  echo "   target not checked: $ROUNDS round(s) (BENCH_QUICK or JOBS_ROUNDS < $MIN_ROUNDS)"
elif [[ $(calc "1 if $ratio <= $TARGET else 0") != 1 ]]; then
  status=1 verdict=not-met
  echo "   target NOT MET: --jobs 2 took $ratio of the time of --jobs 1 (at most $TARGET wanted);" \
    "a busy machine (see the load averages and the cpu times) is the usual cause"
else
  echo "   target met"
fi
echo "jobs result=$verdict ratio=$ratio jobs1_s=$m1 jobs2_s=$m2 cpus=$cpus"
exit "$status"
