#!/usr/bin/env bash
# Scaling a sweep out: the same sweep (the points of SCALE_VARY x SCALE_REPS replications
# of scenarios/web-two-az.yaml) run every way stratus offers, SCALE_ROUNDS rounds, each way
# right next to a jobs1 run (after it in odd rounds, before it in even ones):
#
#   jobs1, jobs2    one process, --jobs 1 / --jobs 2 (threads)
#   mpiK            mpirun -np K, every rank --jobs 1 (K in SCALE_NP; skipped without mpirun
#                   or with a stratus built without MPI)
#   shardS          S shards (--shard I/S --jobs 1) as concurrent processes through GNU
#                   parallel -j S, then stratus merge (skipped without parallel)
#
# and the serial parts of it, to put numbers on Amdahl's law:
#
#   fixed           the same sweep with --set duration=1s --set warmup=0s: process start,
#                   loading every point's scenario, the (tiny) runs, the results, writing
#   shard-fixed     one shard of as many as there are pairs (--shard 0/PAIRS), duration 1s:
#                   what every shard pays whatever its share (start, load every point, write)
#   merge           stratus merge of the S partial files (timed inside shardS)
#   mpi-fixed       mpirun -np 2 of the 1s sweep (MPI start-up, gather)
#   sizes           one shard's fixed cost at 100, 400 and 1600 points, and the merge at
#                   400 to 25,600 pairs (CPU time and peak memory)
#
# Prints each round, then the medians, each way's speedup against the jobs1 run next to it,
# the cores each way kept busy (CPU time / wall time), and whether every way wrote the
# same bytes.
# Then the projection T(N) = T_serial + T_parallel / N + N-dependent costs for N machines
# (docs/scale-out.md explains it). No targets: these are figures for the doc.
#
#   bench/scale-out.sh [SOURCE_ROOT]
#
# Knobs (environment): STRATUS (default: the release build in BENCH_BUILD_DIR, as in
# bench/jobs.sh), SCALE_ROUNDS (3), SCALE_DURATION (30m), SCALE_VARY
# (instances.web.count=4..11:1, 8 points), SCALE_REPS (4), SCALE_NP ("1 2 3 4"),
# SCALE_SHARDS (2), BENCH_WAIT_IDLE (0: seconds each pair may wait for an idle machine
# before it starts), SCALE_SIZES (1; 0 skips the serial parts against size, about 40 s of
# CPU), BENCH_QUICK=1 (one short round, no sizes; figures mean nothing).
set -euo pipefail
export LC_ALL=C

SRC=${1:-${MESON_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}}
SRC=$(cd "$SRC" && pwd)
BUILD=${BENCH_BUILD_DIR:-$SRC/build-release}
PY=/usr/bin/python3
ROUNDS=${SCALE_ROUNDS:-3}
DURATION=${SCALE_DURATION:-30m}
VARY=${SCALE_VARY:-instances.web.count=4..11:1}
REPS=${SCALE_REPS:-4}
NPS=${SCALE_NP:-1 2 3 4}
SHARDS=${SCALE_SHARDS:-2}
if [[ ${BENCH_QUICK:-0} == 1 ]]; then ROUNDS=1 DURATION=10m; fi
SCENARIO=$SRC/scenarios/web-two-az.yaml

die() { echo "bench/scale-out: $*" >&2; exit 2; }
calc() { "$PY" -c "import statistics as st, math; print($1)"; }

if [[ -z ${STRATUS:-} ]]; then
  if [[ ! -f $BUILD/build.ninja ]]; then
    echo "configuring a release build in $BUILD"
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
OUT=$(mktemp -d "${TMPDIR:-/tmp}/stratus-bench-scale.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

SWEEP=("$STRATUS" sweep "$SCENARIO" --vary "$VARY" --reps "$REPS" --quiet)
SHORT=(--set duration=1s --set warmup=0s)
points=$("${SWEEP[@]}" "${SHORT[@]}" --jobs 1 --format csv | tail -n +2 | wc -l)
PAIRS=$((points * REPS))

# MPI: mpirun present, and this stratus built with MPI (an MPI-less build under mpirun -np 2
# runs the whole sweep twice: two result tables instead of one).
MPIRUN=()
if command -v mpirun >/dev/null; then
  MPIRUN=(mpirun --oversubscribe)
  [[ $(id -u) == 0 ]] && MPIRUN+=(--allow-run-as-root)
  headers=$("${MPIRUN[@]}" -np 2 "${SWEEP[@]}" "${SHORT[@]}" --jobs 1 --format csv 2>/dev/null \
    | grep -c '^instances\|^"instances\|^point' || true)
  [[ $headers == 1 ]] || {
    echo "mpirun -np 2 did not give one result table (a stratus built without MPI, or mpirun" \
      "failed): mpiK skipped"
    MPIRUN=()
  }
else
  echo "mpirun not found: mpiK skipped"
fi
PARALLEL=1
command -v parallel >/dev/null || { echo "GNU parallel not found: shard$SHARDS skipped"; PARALLEL=0; }

# timed NAME COMMAND...: runs the command (stdout to OUT/NAME.stdout), records
# "wall cpu" in OUT/NAME.t (cpu = user + sys of the command and its children).
timed() {
  local name=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%U %S' -o "$OUT/$name.cpu" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" \
    || { cat "$OUT/$name.stderr" >&2; die "$name: $* failed"; }
  t1=$EPOCHREALTIME
  echo "$(calc "$t1 - $t0") $(calc "$(tail -n 1 "$OUT/$name.cpu" | tr ' ' +)")" >"$OUT/$name.t"
}
# The shard way as one command, so that `timed` times it whole: S shards through
# parallel -j S, then the merge, whose own wall time goes to OUT/merge.t.
#   bash -c "$SHARD_SCRIPT" _ S OUTDIR MERGE_TIME_FILE DURATION STRATUS SWEEP...
# shellcheck disable=SC2016 # expanded by the bash -c that runs it
SHARD_SCRIPT='
s=$1 dir=$2 mt=$3 duration=$4 stratus=$5; shift 5
parts=$dir.parts
rm -rf "$parts"
parallel --will-cite -j "$s" -q "$@" --jobs 1 --set "duration=$duration" \
  --shard "{}/$s" --out "$parts" ::: $(seq 0 $((s - 1))) >/dev/null || exit 1
t0=$EPOCHREALTIME
"$stratus" merge "$parts" --out "$dir" >/dev/null || exit 1
t1=$EPOCHREALTIME
echo "$t0 $t1" >"$mt"
rm -rf "$parts"'

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

configs=(jobs1 jobs2)
if ((${#MPIRUN[@]})); then for k in $NPS; do configs+=("mpi$k"); done; fi
((PARALLEL)) && configs+=("shard$SHARDS")
overheads=(fixed shard-fixed)
((${#MPIRUN[@]})) && overheads+=(mpi-fixed)

run_config() { # run_config NAME ROUND
  local c=$1 dir=$OUT/res-$1-$2
  rm -rf "$dir"
  case $c in
    fixed) timed "$c" "${SWEEP[@]}" "${SHORT[@]}" --jobs 1 --out "$dir" ;;
    shard-fixed) timed "$c" "${SWEEP[@]}" "${SHORT[@]}" --jobs 1 --shard "0/$PAIRS" --out "$dir" ;;
    mpi-fixed) timed "$c" "${MPIRUN[@]}" -np 2 "${SWEEP[@]}" "${SHORT[@]}" --jobs 1 --out "$dir" ;;
    jobs*) timed "$c" "${SWEEP[@]}" --jobs "${c#jobs}" --set "duration=$DURATION" --out "$dir" ;;
    mpi*) timed "$c" "${MPIRUN[@]}" -np "${c#mpi}" "${SWEEP[@]}" --jobs 1 \
      --set "duration=$DURATION" --out "$dir" ;;
    shard*)
      timed "$c" bash -c "$SHARD_SCRIPT" _ "${c#shard}" "$dir" "$OUT/merge.times" "$DURATION" \
        "$STRATUS" "${SWEEP[@]}"
      read -r m0 m1 <"$OUT/merge.times"
      calc "$m1 - $m0" >"$OUT/merge.t" ;;
  esac
}

echo "== scale-out: stratus sweep scenarios/web-two-az.yaml --vary $VARY --reps $REPS" \
  "--set duration=$DURATION ($points points, $PAIRS pairs), $ROUNDS rounds"
echo "   $(nproc) processors ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'));" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   every way is timed right after (odd rounds) or before (even rounds) a jobs1 run, its"
echo "   reference: speedup = jobs1 wall / way wall of that pair, median over the rounds"
declare -A WALL CPU SPEEDUP
record() { # record NAME: appends the last timing of NAME
  local w u
  read -r w u <"$OUT/$1.t"
  WALL[$1]+="$w," CPU[$1]+="$u,"
}
ways=("${configs[@]:1}") # every way but jobs1, each against its own jobs1 run
for ((i = 1; i <= ROUNDS; i++)); do
  n=${#ways[@]} line="   round $i:"
  for ((j = 0; j < n; j++)); do
    c=${ways[$(((j + i - 1) % n))]} # rotated, so that a drift falls on every way alike
    wait_idle
    if ((i % 2)); then run_config jobs1 "$i-$c"; run_config "$c" "$i"
    else run_config "$c" "$i"; run_config jobs1 "$i-$c"; fi
    record jobs1; record "$c"
    read -r wr _ <"$OUT/jobs1.t"; read -r wc _ <"$OUT/$c.t"
    SPEEDUP[$c]+="$(calc "$wr / $wc"),"
    line+=$(printf ' %s %.2f/%.2f' "$c" "$wc" "$wr")
    if [[ $c == shard[0-9]* ]]; then
      m=$(cat "$OUT/merge.t"); WALL[merge]+="$m,"; line+=$(printf ' (merge %.3f)' "$m")
    fi
  done
  for c in "${overheads[@]}"; do
    run_config "$c" "$i"; record "$c"
    line+=$(printf ' %s %.3f' "$c" "$(cut -d' ' -f1 "$OUT/$c.t")")
  done
  echo "$line"
done
echo "   (each entry: way wall / its jobs1 wall, seconds)"
if ((${BENCH_WAIT_IDLE:-0} > 0)); then
  echo "   each pair waited up to ${BENCH_WAIT_IDLE} s for an idle second; $IDLE_TIMEOUTS of" \
    "$((ROUNDS * (${#configs[@]} - 1))) started without one"
fi
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The slowest pair: each point's first replication alone (shard p of as many shards as
# there are points, of the sweep with --reps 1), CPU time less that of a shard-fixed.
slowest=0
for ((p = 0; p < points; p++)); do
  timed pair "$STRATUS" sweep "$SCENARIO" --vary "$VARY" --reps 1 --quiet --jobs 1 \
    --set "duration=$DURATION" --shard "$p/$points" --out "$OUT/pairs"
  read -r _ u <"$OUT/pair.t"
  slowest=$(calc "max($slowest, $u)")
done

# Every way must have written the same bytes as the first jobs1 run.
same=1 first=
for d in "$OUT"/res-jobs*-* "$OUT"/res-mpi[0-9]*-* "$OUT"/res-shard[0-9]*-*; do
  [[ -d $d ]] || continue
  [[ -n $first ]] || first=$d
  diff -r -q "$first" "$d" >/dev/null || { echo "   DIFFERENT results: $d"; same=0; }
done

med() { calc "st.median([${WALL[$1]%,}])"; }
medcpu() { calc "st.median([${CPU[$1]%,}])"; }
medspeed() { calc "st.median([${SPEEDUP[$1]%,}])"; }
echo
echo "   medians over $ROUNDS rounds: wall and cpu (user + sys) seconds, speedup against the"
echo "   jobs1 run next to it, cores busy = cpu / wall"
printf '   %-12s %8s %8s %8s %11s\n' way wall cpu speedup "cores busy"
for c in "${configs[@]}" "${overheads[@]}"; do
  w=$(med "$c") u=$(medcpu "$c")
  sp=-
  [[ $c == jobs1 ]] && sp=1.00
  [[ -z ${SPEEDUP[$c]:-} ]] || sp=$(printf '%.2f' "$(medspeed "$c")")
  printf '   %-12s %8.3f %8.3f %8s %11.2f\n' "$c" "$w" "$u" "$sp" "$(calc "$u / $w")"
done
((PARALLEL)) && printf '   %-12s %8.3f\n' "merge" "$(med merge)"
if ((same)); then echo "   results: every way wrote the same sweep.txt, sweep.csv and sweep.json bytes"
else echo "   results: NOT the same bytes (see above)"; fi

# ---- Amdahl and the projection, from CPU times (what each part takes on a core of its own) ---
c1=$(medcpu jobs1) cf=$(medcpu fixed) csf=$(medcpu shard-fixed)
tm=$( ((PARALLEL)) && med merge || echo 0)
cpar=$(calc "$c1 - $cf")
cpair=$(calc "$cpar / $PAIRS")
cslow=$(calc "max($cpair, $slowest - $csf)")
echo
printf '   on a core of its own (cpu times): jobs1 %.2f s = serial %.3f s (the 1 s sweep, %.1f %%)' \
  "$c1" "$cf" "$(calc "100 * $cf / $c1")"
printf ' + parallel %.2f s (%.3f s per pair on average, %.3f s the slowest)\n' "$cpar" "$cpair" "$cslow"
printf '   Amdahl: speedup at most %.2f x on 2 cores, %.0f x on unlimited cores\n' \
  "$(calc "$c1 / ($cf + $cpar / 2)")" "$(calc "$c1 / $cf")"
echo "   projection for N machines (or cores), one shard each with --jobs 1, then a merge:"
printf '   T(N) = shard-fixed + ceil(%d / N) x pair + merge = %.3f + ceil(%d / N) x %.3f + %.3f s\n' \
  "$PAIRS" "$csf" "$PAIRS" "$cpair" "$tm"
printf '   %6s %9s %8s\n' N "T(N) s" speedup
for n in 1 2 4 8 16 32 64; do
  tn=$(calc "$csf + max(math.ceil($PAIRS / $n) * $cpair, $cslow) + $tm")
  printf '   %6d %9.2f %8.2f\n' "$n" "$tn" "$(calc "$c1 / $tn")"
done

# ---- the serial parts against the size of the sweep (CPU time and peak memory) --------------
# What does not shrink with more workers: every shard (and rank) loads every point's
# scenario, and the merge reads every pair. Measured in CPU time and max RSS (GNU time),
# which the machine's other work does not change much. 1 s runs (--set duration=1s), a
# key that leaves the model's size alone (instances.web.queue_limit).
if [[ ${SCALE_SIZES:-1} == 1 && ${BENCH_QUICK:-0} != 1 ]]; then
  echo
  echo "   serial parts against size (cpu = user + sys seconds, max RSS; 1 s runs):"
  SIZE=("$STRATUS" sweep "$SCENARIO" "${SHORT[@]}" --quiet)
  for p in 100 400 1600; do
    /usr/bin/time -f '%U %S %M' -o "$OUT/size.t" "${SIZE[@]}" --reps 1 --jobs 1 \
      --vary "instances.web.queue_limit=100..$((99 + p)):1" --shard "0/$p" --out "$OUT/size-load" >/dev/null
    read -r u sy rss <"$OUT/size.t"
    printf '   one shard of %4d points (runs 1 pair, loads all %4d): cpu %.2f s (%.2f ms per point), %6d KiB\n' \
      "$p" "$p" "$(calc "$u + $sy")" "$(calc "1000 * ($u + $sy) / $p")" "$rss"
  done
  for reps in 4 64 256; do
    rm -rf "$OUT/size-parts"
    for i in 0 1 2 3; do
      "${SIZE[@]}" --reps "$reps" --jobs 2 --vary instances.web.queue_limit=100..199:1 \
        --shard "$i/4" --out "$OUT/size-parts" >/dev/null
    done
    rm -rf "$OUT/size-merged"
    /usr/bin/time -f '%U %S %M' -o "$OUT/size.t" "$STRATUS" merge "$OUT/size-parts" \
      --out "$OUT/size-merged" >/dev/null
    read -r u sy rss <"$OUT/size.t"
    printf '   merge of 4 parts, 100 points x %3d reps = %5d pairs, %6.1f MB of partials: cpu %.2f s, %6d KiB\n' \
      "$reps" "$((100 * reps))" "$(calc "$(cat "$OUT"/size-parts/*.sweep | wc -c) / 1e6")" \
      "$(calc "$u + $sy")" "$rss"
  done
fi

echo "scale result=$( ((same)) && echo same || echo differ) jobs1_cpu_s=$c1 fixed_cpu_s=$cf" \
  "shard_fixed_cpu_s=$csf merge_s=$tm pair_cpu_s=$cpair slowest_pair_cpu_s=$cslow"
((same))
