#!/usr/bin/env bash
# The stratus benchmark suite. See bench/README.md.
#
#   bench/run.sh [SOURCE_ROOT [CALLER_BUILD_ROOT]]
#   ninja -C build bench          (the meson run target; passes both roots)
#
# It always measures a release build: BENCH_BUILD_DIR (default SOURCE_ROOT/build-release),
# configured with --buildtype=release if it does not exist yet, whatever the configuration
# of the build dir it was called from. Parts:
#   (a) bench-hold: the engine alone on the hold model, N = 1e3 .. 1e6, against a plain
#       binary heap of doubles timed in the same process;
#   (b) stratus run bench/mmc.yaml (M/M/4, rho 0.8, ~32 M requests), whole process timed
#       (with --out, whose run.json gives the in-run figures);
#   (c) the same M/M/c in SimPy 2 (bench/simpy_mmc.py), alternating with (b), ratio per round;
#   (d) memory: max RSS of stratus at duration D and 10 D;
#   (e) network overhead: bench/mmc.yaml and bench/mmc-vpc.yaml (the same M/M/c inside a
#       VPC) back to back, cost per request of the second over the first, ratio per round;
#   (f) validate against the number of instances: 10,000 and 100,000 without a VPC
#       (scenarios/web-two-az.yaml), 6,000 and 60,000 in one (bench/validate-vpc.yaml; a /16
#       VPC holds at most 65,531 interfaces), seconds and max RSS, and the linearity ratio
#       t(10 N) / (10 t(N)) measured in the same run; also the refusal of 100,000 instances
#       in two /24 subnets (scenarios/vpc-public-private.yaml).
#   (g) Auto Scaling: bench/fleet-fixed.yaml and bench/fleet-asg.yaml (the same capacity as
#       a group with health checks and a target-tracking policy) back to back, cost per
#       request of the second over the first, ratio per round; and one replication of
#       scenarios/autoscaling-diurnal.yaml (a simulated day, ~93 M requests), timed.
#   (h) Databases: one replication of scenarios/three-tier.yaml for one simulated day at
#       1,000 requests/s (86.4 M requests, each with two queries), timed, and its peak
#       memory against a two-hour run of the same (memory must not grow with time).
#   (i) Replications on threads: bench/jobs.sh, `stratus run scenarios/web-two-az.yaml
#       --reps 8` with --jobs 1 and --jobs 2, alternating, not pinned; the ratio of the
#       medians (target <= 0.6 on 2 cores; skipped on fewer) and byte-identical reports.
# BENCH_PARTS picks parts by name (default: all): hold (a), mmc (b, c), memory (d),
# network (e), validate (f), autoscaling (g), databases (h), jobs (i); e.g. BENCH_PARTS=validate bench/run.sh runs
# (f) alone.
# Knobs (environment): BENCH_ROUNDS (3), BENCH_DURATION (10000000s), SIMPY_CUSTOMERS (300000),
# HOLD_OPS (4000000), HOLD_REPEATS (3), MEM_DURATION (1000000s), BENCH_CPU (0; "" = no
# pinning), BENCH_QUICK=1 (a fast smoke run with small sizes; its figures mean nothing),
# BENCH_PARTS ("hold mmc memory network validate autoscaling databases jobs"), ASG_DURATION
# (20000s), DB_DURATION (24h; the day of part (h)), JOBS_ROUNDS (3) and JOBS_DURATION (90m)
# for part (i),
# BENCH_DIURNAL=0 (skip the one-day run of part (g)).
set -euo pipefail
export LC_ALL=C # '.' decimal points everywhere ($EPOCHREALTIME, printf)

SRC=${1:-${MESON_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}}
SRC=$(cd "$SRC" && pwd)
CALLER_BUILD=${2:-${MESON_BUILD_ROOT:-}}
BUILD=${BENCH_BUILD_DIR:-$SRC/build-release}
PY=/usr/bin/python3 # Debian's interpreter: the one that sees python3-simpy

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10000000s}
SIMPY_CUSTOMERS=${SIMPY_CUSTOMERS:-300000}
HOLD_OPS=${HOLD_OPS:-4000000}
HOLD_REPEATS=${HOLD_REPEATS:-3}
MEM_DURATION=${MEM_DURATION:-1000000s}
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
  ROUNDS=1 DURATION=100000s SIMPY_CUSTOMERS=20000 HOLD_OPS=200000 HOLD_REPEATS=1
  MEM_DURATION=10000s
fi
# The M/M/c of bench/mmc.yaml, for SimPy and Erlang C.
LAMBDA=3.2 MU=1 SERVERS=4
TARGET_RPS=5000000 TARGET_RATIO=40 MEM_TOLERANCE=1.05
TARGET_NET_RATIO=1.30 # the network adds at most 30 % to the cost of a simulated request
TARGET_VALIDATE_RATIO=1.5 TARGET_VALIDATE_SECONDS=5 # validate: linear; 100k instances in seconds
TARGET_ASG_RATIO=1.30 # a group with health checks costs at most 30 % more per request
TARGET_DB_SECONDS=120 # a day of three-tier.yaml at 1,000 requests/s
DB_DURATION=${DB_DURATION:-24h}
TARGET_DIURNAL_SECONDS=60 # one replication of the one-day Auto Scaling scenario
ASG_DURATION=${ASG_DURATION:-20000s}
DIURNAL=${BENCH_DIURNAL:-1}
if [[ ${BENCH_QUICK:-0} == 1 ]]; then ASG_DURATION=500s DIURNAL=0; fi
ALL_PARTS="hold mmc memory network validate autoscaling databases jobs"
PARTS=" ${BENCH_PARTS:-$ALL_PARTS} "
for part in $PARTS; do
  [[ " $ALL_PARTS " == *" $part "* ]] \
    || { echo "bench: unknown part '$part' in BENCH_PARTS ($ALL_PARTS)" >&2; exit 1; }
done
want() { [[ $PARTS == *" $1 "* ]]; }

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $PY ]] || die "$PY not found (Debian's python3 is needed for the SimPy reference)"

# One-core measurements: pin to BENCH_CPU when taskset works here.
PIN=()
CPU=${BENCH_CPU-0}
if [[ -n $CPU ]] && command -v taskset >/dev/null && taskset -c "$CPU" true 2>/dev/null; then
  PIN=(taskset -c "$CPU")
fi

# ---- the release build --------------------------------------------------------------------
if [[ ! -f $BUILD/build.ninja ]]; then
  echo "bench: configuring a release build in $BUILD"
  meson setup "$BUILD" "$SRC" --buildtype=release -Db_sanitize=none >"$SRC/.bench-setup.log" 2>&1 \
    || { cat "$SRC/.bench-setup.log" >&2; rm -f "$SRC/.bench-setup.log"; die "meson setup failed"; }
  rm -f "$SRC/.bench-setup.log"
fi
buildtype=$(meson introspect --buildoptions "$BUILD" \
  | "$PY" -c 'import json,sys; o={x["name"]:x["value"] for x in json.load(sys.stdin)}; print(o["buildtype"], o["b_sanitize"])')
[[ $buildtype == "release none" ]] \
  || die "$BUILD is '$buildtype', not a release build without sanitizers (set BENCH_BUILD_DIR)"
ninja -C "$BUILD" stratus bench/bench-hold >/dev/null || die "build of $BUILD failed"
STRATUS=$BUILD/stratus
HOLD=$BUILD/bench/bench-hold
SCENARIO=$SRC/bench/mmc.yaml
SCENARIO_VPC=$SRC/bench/mmc-vpc.yaml
OUT=$BUILD/bench-results
mkdir -p "$OUT"

jget() { # jget FILE PYTHON-EXPRESSION-OVER-d
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
calc() { "$PY" -c "import statistics as st; print($1)"; }

echo "stratus benchmarks, $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -n), $(nproc) CPUs" \
  "($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo '?'))"
echo "release build: $BUILD; pinned: ${PIN[*]:-no}; caller build: ${CALLER_BUILD:-none}"
echo

join() { local IFS=,; echo "$*"; }
theory=$("$PY" "$SRC/bench/simpy_mmc.py" --lam $LAMBDA --mu $MU --c $SERVERS --theory)
erlang=$(jget <(echo "$theory") 'd["erlang_c_mean_response_s"]')

# ---- (a) the hold model ---------------------------------------------------------------------
if want hold; then
echo "== (a) engine alone: hold model"
"${PIN[@]}" "$HOLD" "$HOLD_OPS" "$HOLD_REPEATS" | tee "$OUT/hold.txt" | grep -v '^hold N='
echo
fi

# ---- (b) + (c) M/M/c: stratus and SimPy, alternating -----------------------------------------
if want mmc; then
echo "== (b) stratus run bench/mmc.yaml --set duration=$DURATION   (c) SimPy, $SIMPY_CUSTOMERS customers"
have_simpy=1
"$PY" -c 'import SimPy.Simulation' 2>/dev/null || {
  have_simpy=0
  echo "   SimPy not importable by $PY: install it with 'apt-get install -y python3-simpy'; (c) skipped"
}
s_e2e=() s_inrun=() p_rate=() ratios=()
for ((i = 1; i <= ROUNDS; i++)); do
  json=$OUT/stratus-$i.json
  rm -rf "$OUT/stratus-$i"
  t0=$EPOCHREALTIME
  "${PIN[@]}" "$STRATUS" run "$SCENARIO" --format json --quiet --set "duration=$DURATION" \
    --out "$OUT/stratus-$i" >"$json"
  t1=$EPOCHREALTIME
  total=$(jget "$json" 'd["requests"]["total"]')
  e2e=$(calc "$total / ($t1 - $t0)")
  inrun=$(jget "$OUT/stratus-$i/run.json" 'd["run"]["requests_per_second"]')
  s_e2e+=("$e2e") s_inrun+=("$inrun")
  line=$(printf '   round %d: stratus %d requests in %.2f s wall: %.0f req/s (in-run figure %.0f)' \
    "$i" "$total" "$(calc "$t1 - $t0")" "$e2e" "$inrun")
  if ((have_simpy)); then
    sjson=$OUT/simpy-$i.json
    "${PIN[@]}" "$PY" "$SRC/bench/simpy_mmc.py" --lam $LAMBDA --mu $MU --c $SERVERS \
      --customers "$SIMPY_CUSTOMERS" --seed "$i" >"$sjson"
    prate=$(jget "$sjson" 'd["customers_per_second"]')
    p_rate+=("$prate")
    ratios+=("$(calc "$e2e / $prate")")
    line+=$(printf '; SimPy %.0f customers/s; ratio %.1f' "$prate" "${ratios[-1]}")
  fi
  echo "$line"
done
med_e2e=$(calc "st.median([$(join "${s_e2e[@]}")])")
med_inrun=$(calc "st.median([$(join "${s_inrun[@]}")])")
stratus_resp=$(jget "$OUT/stratus-1.json" 'd["latency_ms"]["mean"] / 1000')
printf '   mean response: Erlang C %.4f s, stratus %.4f s' "$erlang" "$stratus_resp"
if ((have_simpy)); then
  med_simpy=$(calc "st.median([$(join "${p_rate[@]}")])")
  med_ratio=$(calc "st.median([$(join "${ratios[@]}")])")
  printf ', SimPy %.4f s' "$(jget "$OUT/simpy-1.json" 'd["mean_response_s"]')"
fi
echo; echo
fi

# ---- (d) memory against simulated duration --------------------------------------------------
if want memory; then
echo "== (d) memory: max RSS at duration D = $MEM_DURATION and 10 D"
[[ $MEM_DURATION =~ ^[0-9]+s$ ]] || die "MEM_DURATION must be whole seconds, e.g. 1000000s"
mem_d10=$((10 * ${MEM_DURATION%s}))s
rss() { # rss DURATION [more --set]
  local j=$OUT/mem.json
  rm -rf "$OUT/mem"
  "${PIN[@]}" "$STRATUS" run "$SCENARIO" --format json --quiet --set "duration=$1" "${@:2}" \
    --out "$OUT/mem" >"$j"
  echo "$(jget "$OUT/mem/run.json" 'd["run"]["max_rss_kib"]') $(jget "$j" 'd["requests"]["total"]')"
}
r=$(rss "$MEM_DURATION") && read -r rss1 req1 <<<"$r"
r=$(rss "$mem_d10") && read -r rss10 req10 <<<"$r"
r=$(rss "$MEM_DURATION" --set report.interval=1m) && read -r rss1m1 _ <<<"$r"
r=$(rss "$mem_d10" --set report.interval=1m) && read -r rss1m10 _ <<<"$r"
printf '   report interval 1d (mmc.yaml): %s KiB at D (%s requests), %s KiB at 10 D (%s requests)\n' \
  "$rss1" "$req1" "$rss10" "$req10"
printf '   report interval 1m (default):  %s KiB at D, %s KiB at 10 D\n' "$rss1m1" "$rss1m10"
echo
fi

# ---- (e) network overhead: the same M/M/c, flat and inside a VPC ---------------------------
if want network; then
echo "== (e) network overhead: bench/mmc.yaml and bench/mmc-vpc.yaml back to back, --set duration=$DURATION"
"$STRATUS" validate "$SCENARIO_VPC" >/dev/null || die "bench/mmc-vpc.yaml does not validate"
net_run() { # net_run SCENARIO JSON: prints "requests wall_seconds"; run.json in JSON's .d
  local t0 t1
  rm -rf "$2.d"
  t0=$EPOCHREALTIME
  "${PIN[@]}" "$STRATUS" run "$1" --format json --quiet --set "duration=$DURATION" --out "$2.d" >"$2"
  t1=$EPOCHREALTIME
  # A request dropped by the network costs less than one served: refuse such a comparison.
  [[ $(jget "$2" 'int(d["requests"]["failed"] == 0 and sum(d["network"]["drops"].values()) == 0)') == 1 ]] \
    || die "$1: failed or dropped requests; the comparison would be meaningless"
  echo "$(jget "$2" 'd["requests"]["total"]') $(calc "$t1 - $t0")"
}
n_flat=() n_vpc=() n_ratio=()
for ((i = 1; i <= ROUNDS; i++)); do
  fjson=$OUT/net-flat-$i.json vjson=$OUT/net-vpc-$i.json
  r=$(net_run "$SCENARIO" "$fjson") && read -r freq fwall <<<"$r"
  r=$(net_run "$SCENARIO_VPC" "$vjson") && read -r vreq vwall <<<"$r"
  n_flat+=("$(calc "$freq / $fwall")") n_vpc+=("$(calc "$vreq / $vwall")")
  n_ratio+=("$(calc "($vwall / $vreq) / ($fwall / $freq)")")
  printf '   round %d: flat %d requests in %.2f s: %.0f req/s; vpc %d requests in %.2f s: %.0f req/s; cost ratio %.3f\n' \
    "$i" "$freq" "$fwall" "${n_flat[-1]}" "$vreq" "$vwall" "${n_vpc[-1]}" "${n_ratio[-1]}"
done
med_nflat=$(calc "st.median([$(join "${n_flat[@]}")])")
med_nvpc=$(calc "st.median([$(join "${n_vpc[@]}")])")
med_nratio=$(calc "st.median([$(join "${n_ratio[@]}")])")
epr_flat=$(calc "$(jget "$OUT/net-flat-1.json.d/run.json" 'd["run"]["events"]') / $(jget "$OUT/net-flat-1.json" 'd["requests"]["total"]')")
epr_vpc=$(calc "$(jget "$OUT/net-vpc-1.json.d/run.json" 'd["run"]["events"]') / $(jget "$OUT/net-vpc-1.json" 'd["requests"]["total"]')")
resp_flat=$(jget "$OUT/net-flat-1.json" 'd["latency_ms"]["mean"] / 1000')
resp_vpc=$(jget "$OUT/net-vpc-1.json" 'd["latency_ms"]["mean"] / 1000')
printf '   events per request: flat %.4f, vpc %.4f; mean response: flat %.4f s, vpc %.4f s (Erlang C %.4f s)\n' \
  "$epr_flat" "$epr_vpc" "$resp_flat" "$resp_vpc" "$erlang"
echo
fi

# ---- (f) validate against the number of instances ------------------------------------------
if want validate; then
echo "== (f) stratus validate against the number of instances (median of $ROUNDS rounds)"
# validate_time SCENARIO COUNT EXPECTED_STATUS: prints "seconds max_rss_kib" (RSS "?" without
# GNU time).
validate_time() {
  local t0 t1 status rss=? log=$OUT/validate.log
  t0=$EPOCHREALTIME
  if [[ -x /usr/bin/time ]]; then
    "${PIN[@]}" /usr/bin/time -f '%M' -o "$OUT/validate.rss" "$STRATUS" validate "$1" \
      --set "instances.web.count=$2" >"$log" 2>&1 && status=0 || status=$?
    rss=$(tail -n 1 "$OUT/validate.rss")
  else
    "${PIN[@]}" "$STRATUS" validate "$1" --set "instances.web.count=$2" >"$log" 2>&1 \
      && status=0 || status=$?
  fi
  t1=$EPOCHREALTIME
  [[ $status == "$3" ]] || { cat "$log" >&2; die "validate $1 with $2 instances: status $status, expected $3"; }
  echo "$(calc "$t1 - $t0") $rss"
}
# validate_pair NAME SCENARIO N: N and 10 N alternating, ROUNDS times; sets v_small, v_big,
# v_ratio (medians) and v_rss_small, v_rss_big (last round).
validate_pair() {
  local small=() big=() ratio=() r ts tb
  for ((i = 1; i <= ROUNDS; i++)); do
    r=$(validate_time "$2" "$3" 0) && read -r ts v_rss_small <<<"$r"
    r=$(validate_time "$2" "$((10 * $3))" 0) && read -r tb v_rss_big <<<"$r"
    small+=("$ts") big+=("$tb") ratio+=("$(calc "$tb / (10 * $ts)")")
    printf '   round %d, %s: %d instances %.3f s (%s KiB), %d instances %.3f s (%s KiB), ratio %.2f\n' \
      "$i" "$1" "$3" "$ts" "$v_rss_small" "$((10 * $3))" "$tb" "$v_rss_big" "${ratio[-1]}"
  done
  v_small=$(calc "st.median([$(join "${small[@]}")])")
  v_big=$(calc "st.median([$(join "${big[@]}")])")
  v_ratio=$(calc "st.median([$(join "${ratio[@]}")])")
}
VALIDATE_FLAT=$SRC/scenarios/web-two-az.yaml VALIDATE_VPC=$SRC/bench/validate-vpc.yaml
validate_pair flat "$VALIDATE_FLAT" 10000
vf_small=$v_small vf_big=$v_big vf_ratio=$v_ratio vf_rss_small=$v_rss_small vf_rss_big=$v_rss_big
validate_pair vpc "$VALIDATE_VPC" 6000
vv_small=$v_small vv_big=$v_big vv_ratio=$v_ratio vv_rss_small=$v_rss_small vv_rss_big=$v_rss_big
r=$(validate_time "$SRC/scenarios/vpc-public-private.yaml" 100000 2) && read -r v_refuse _ <<<"$r"
printf '   100,000 instances in two /24 subnets (scenarios/vpc-public-private.yaml): refused in %.3f s\n' \
  "$v_refuse"
echo
fi

# ---- (g) Auto Scaling: a group with health checks against a fixed fleet, and a day ----------
if want autoscaling; then
echo "== (g) Auto Scaling: bench/fleet-fixed.yaml and bench/fleet-asg.yaml back to back, --set duration=$ASG_DURATION"
asg_run() { # asg_run SCENARIO JSON: prints "requests wall_seconds"
  local t0 t1
  t0=$EPOCHREALTIME
  "${PIN[@]}" "$STRATUS" run "$1" --format json --quiet --set "duration=$ASG_DURATION" >"$2"
  t1=$EPOCHREALTIME
  [[ $(jget "$2" 'int(d["requests"]["failed"] == 0)') == 1 ]] \
    || die "$1: failed requests; the comparison would be meaningless"
  echo "$(jget "$2" 'd["requests"]["total"]') $(calc "$t1 - $t0")"
}
a_fixed=() a_asg=() a_ratio=()
for ((i = 1; i <= ROUNDS; i++)); do
  fjson=$OUT/asg-fixed-$i.json gjson=$OUT/asg-group-$i.json
  r=$(asg_run "$SRC/bench/fleet-fixed.yaml" "$fjson") && read -r freq fwall <<<"$r"
  r=$(asg_run "$SRC/bench/fleet-asg.yaml" "$gjson") && read -r greq gwall <<<"$r"
  a_fixed+=("$(calc "$freq / $fwall")") a_asg+=("$(calc "$greq / $gwall")")
  a_ratio+=("$(calc "($gwall / $greq) / ($fwall / $freq)")")
  printf '   round %d: fixed %d requests in %.2f s: %.0f req/s; group %d requests in %.2f s: %.0f req/s; cost ratio %.3f\n' \
    "$i" "$freq" "$fwall" "${a_fixed[-1]}" "$greq" "$gwall" "${a_asg[-1]}" "${a_ratio[-1]}"
done
med_afixed=$(calc "st.median([$(join "${a_fixed[@]}")])")
med_aasg=$(calc "st.median([$(join "${a_asg[@]}")])")
med_aratio=$(calc "st.median([$(join "${a_ratio[@]}")])")
diurnal_wall=n/a diurnal_req=0
if [[ $DIURNAL == 1 ]]; then
  echo "== (g) one replication of scenarios/autoscaling-diurnal.yaml (one simulated day)"
  djson=$OUT/diurnal.json
  t0=$EPOCHREALTIME
  "${PIN[@]}" "$STRATUS" run "$SRC/scenarios/autoscaling-diurnal.yaml" --format json --quiet >"$djson"
  t1=$EPOCHREALTIME
  diurnal_wall=$(calc "round($t1 - $t0, 2)")
  diurnal_req=$(jget "$djson" 'd["requests"]["total"]')
  printf '   %d requests in %.2f s (%.2f M req/s)\n' "$diurnal_req" "$diurnal_wall" \
    "$(calc "$diurnal_req / $diurnal_wall / 1e6")"
fi
echo
fi

# ---- (h) Databases: a day of the three-tier workshop architecture ----------------------------
if want databases; then
echo "== (h) one replication of scenarios/three-tier.yaml, duration $DB_DURATION (and 2h for memory)"
db_run() { # db_run DURATION JSON OUTDIR: prints "requests wall_seconds max_rss_kib"
  local t0 t1
  rm -rf "$3"
  t0=$EPOCHREALTIME
  "${PIN[@]}" "$STRATUS" run "$SRC/scenarios/three-tier.yaml" --format json --quiet \
    --set "duration=$1" --out "$3" >"$2"
  t1=$EPOCHREALTIME
  echo "$(jget "$2" 'd["requests"]["total"]') $(calc "$t1 - $t0") $(jget "$3/run.json" 'd["run"]["max_rss_kib"]')"
}
r=$(db_run 2h "$OUT/db-short.json" "$OUT/db-short") && read -r db_sreq db_swall db_srss <<<"$r"
r=$(db_run "$DB_DURATION" "$OUT/db-day.json" "$OUT/db-day") && read -r db_req db_wall db_rss <<<"$r"
printf '   2h: %d requests in %.2f s, max RSS %d KiB\n' "$db_sreq" "$db_swall" "$db_srss"
printf '   %s: %d requests in %.2f s (%.2f M req/s), max RSS %d KiB\n' "$DB_DURATION" "$db_req" \
  "$db_wall" "$(calc "$db_req / $db_wall / 1e6")" "$db_rss"
echo
fi

# ---- (i) replications on threads: --jobs 1 against --jobs 2 ----------------------------------
if want jobs; then
# Its own script (also run alone); not pinned: --jobs 2 needs two cores. Its last line is
# "jobs result=met|not-met|skipped|unchecked|reports-differ ratio=... jobs1_s=... ...".
jobs_status=0
STRATUS=$STRATUS bash "$SRC/bench/jobs.sh" "$SRC" | tee "$OUT/jobs.txt" | grep -v '^jobs result=' \
  || jobs_status=$?
((jobs_status != 2)) || die "bench/jobs.sh failed to run"
jobs_line=$(grep '^jobs result=' "$OUT/jobs.txt" | tail -n 1)
jobs_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $jobs_line"; }
echo
fi

# ---- summary --------------------------------------------------------------------------------
verdict() { if [[ $(calc "1 if $1 else 0") == 1 ]]; then echo "met"; else echo "NOT MET"; fi; }
echo "== summary"
printf '%-48s %s\n' "metric" "value"
printf '%-48s %s\n' "------" "-----"
if want hold; then
while read -r _ n e h r; do
  printf '%-48s %s ns/hold (binary heap %s, ratio %s)\n' "hold model, ${n#N=}" \
    "${e#engine_ns=}" "${h#heap_ns=}" "${r#ratio=}"
done < <(grep '^hold N=' "$OUT/hold.txt")
fi
if want mmc; then
printf '%-48s %.2f M req/s (in-run figure %.2f M)\n' "stratus M/M/c, whole process (median)" \
  "$(calc "$med_e2e / 1e6")" "$(calc "$med_inrun / 1e6")"
printf '%-48s %s (%s req/s)\n' "target >= 5 M req/s on one core" \
  "$(verdict "$med_e2e >= $TARGET_RPS")" "$TARGET_RPS"
if ((have_simpy)); then
  printf '%-48s %.0f customers/s (median)\n' "SimPy M/M/c" "$med_simpy"
  printf '%-48s %.1f x (median of per-round ratios)\n' "stratus / SimPy" "$med_ratio"
  printf '%-48s %s\n' "target >= 40 x SimPy" "$(verdict "$med_ratio >= $TARGET_RATIO")"
else
  printf '%-48s %s\n' "stratus / SimPy" "n/a (SimPy missing)"
fi
fi
if want memory; then
printf '%-48s %s KiB at D, %s KiB at 10 D\n' "max RSS, report interval 1d" "$rss1" "$rss10"
printf '%-48s %s\n' "target: flat memory (10 D <= 1.05 x D)" \
  "$(verdict "$rss10 <= $MEM_TOLERANCE * $rss1")"
printf '%-48s %s KiB at D, %s KiB at 10 D (%s)\n' "max RSS, report interval 1m" "$rss1m1" \
  "$rss1m10" "$(if [[ $(verdict "$rss1m10 <= $MEM_TOLERANCE * $rss1m1") == met ]]; then
    echo flat; else echo "grows: the interval time series is kept in memory"; fi)"
fi
if want network; then
printf '%-48s %.2f M req/s flat, %.2f M req/s in a VPC (medians)\n' "M/M/c flat and in a VPC, whole process" \
  "$(calc "$med_nflat / 1e6")" "$(calc "$med_nvpc / 1e6")"
printf '%-48s %.3f (median of per-round ratios)\n' "network cost ratio, vpc / flat per request" "$med_nratio"
printf '%-48s %.4f flat, %.4f vpc\n' "events per request" "$epr_flat" "$epr_vpc"
printf '%-48s %s\n' "target: network adds <= 30 % (ratio <= 1.30)" \
  "$(verdict "$med_nratio <= $TARGET_NET_RATIO")"
fi
if want validate; then
printf '%-48s %.3f s / %.3f s (%s / %s KiB)\n' "validate flat, 10k / 100k instances" \
  "$vf_small" "$vf_big" "$vf_rss_small" "$vf_rss_big"
printf '%-48s %.3f s / %.3f s (%s / %s KiB)\n' "validate in a VPC, 6k / 60k instances" \
  "$vv_small" "$vv_big" "$vv_rss_small" "$vv_rss_big"
printf '%-48s %.2f flat, %.2f vpc (medians)\n' "validate linearity, t(10 N) / (10 t(N))" \
  "$vf_ratio" "$vv_ratio"
printf '%-48s %s\n' "target: linear (ratio <= 1.5)" \
  "$(verdict "$vf_ratio <= $TARGET_VALIDATE_RATIO and $vv_ratio <= $TARGET_VALIDATE_RATIO")"
printf '%-48s %s\n' "target: 100k flat and 60k vpc in <= 5 s" \
  "$(verdict "$vf_big <= $TARGET_VALIDATE_SECONDS and $vv_big <= $TARGET_VALIDATE_SECONDS")"
printf '%-48s %.3f s\n' "validate refusing 100k in two /24 subnets" "$v_refuse"
fi
if want autoscaling; then
printf '%-48s %.2f M req/s fixed, %.2f M req/s group (medians)\n' "fixed fleet and Auto Scaling group, whole process" \
  "$(calc "$med_afixed / 1e6")" "$(calc "$med_aasg / 1e6")"
printf '%-48s %.3f (median of per-round ratios)\n' "Auto Scaling cost ratio, group / fixed per request" "$med_aratio"
printf '%-48s %s\n' "target: a group adds <= 30 % (ratio <= 1.30)" \
  "$(verdict "$med_aratio <= $TARGET_ASG_RATIO")"
if [[ $diurnal_wall != n/a ]]; then
  printf '%-48s %s s for %s requests\n' "autoscaling-diurnal, one replication" "$diurnal_wall" "$diurnal_req"
  printf '%-48s %s\n' "target: under 60 s" "$(verdict "$diurnal_wall < $TARGET_DIURNAL_SECONDS")"
fi
fi
if want databases; then
printf '%-48s %.1f s for %d requests\n' "three-tier.yaml, $DB_DURATION" "$db_wall" "$db_req"
printf '%-48s %s\n' "target: a day under $TARGET_DB_SECONDS s" \
  "$(verdict "$db_wall < $TARGET_DB_SECONDS")"
printf '%-48s %d KiB (2h: %d KiB, ratio %.3f)\n' "three-tier.yaml max RSS, $DB_DURATION" "$db_rss" \
  "$db_srss" "$(calc "$db_rss / $db_srss")"
printf '%-48s %s\n' "target: memory flat (ratio <= $MEM_TOLERANCE)" \
  "$(verdict "$db_rss / $db_srss <= $MEM_TOLERANCE")"
fi
if want jobs; then
case $(jobs_field result) in
  skipped)
    printf '%-48s %s\n' "--reps 8, --jobs 2 / --jobs 1" "skipped ($(jobs_field cpus) processor)" ;;
  *)
    printf '%-48s %.2f s / %.2f s = %.3f (medians)\n' "--reps 8, --jobs 2 / --jobs 1 (web-two-az)" \
      "$(jobs_field jobs2_s)" "$(jobs_field jobs1_s)" "$(jobs_field ratio)"
    printf '%-48s %s\n' "target: --jobs 2 <= 0.6 x --jobs 1 (2 cores)" \
      "$(case $(jobs_field result) in met) echo met ;; not-met) echo "NOT MET" ;;
         unchecked) echo "not checked (BENCH_QUICK)" ;; *) echo "REPORTS DIFFER" ;; esac)" ;;
esac
fi
echo "raw results: $OUT"
