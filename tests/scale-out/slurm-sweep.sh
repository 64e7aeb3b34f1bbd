#!/usr/bin/env bash
# slurm-sweep.sh: the Slurm recipe of docs/scale-out.md, for real. Submits
# docs/scale-out/sweep-array.sbatch as a three-task job array and
# docs/scale-out/merge.sbatch after it (--dependency=afterok), waits for both, and checks
# that the merged results are the unsharded sweep's, byte for byte. Meant to run inside
# slurm-one-node.sh (which starts a private one-node cluster and exports SLURM_CONF):
#
#   bash tests/scale-out/slurm-one-node.sh bash tests/scale-out/slurm-sweep.sh
#
# Environment: STRATUS_BIN (the binary to test), STRATUS_SOURCE_ROOT (the repository),
# SLURM_SWEEP_TIMEOUT (seconds to wait for each job, default 240).
set -u
set -o pipefail

log() { printf 'slurm-sweep: %s\n' "$*" >&2; }

root=${STRATUS_SOURCE_ROOT:?STRATUS_SOURCE_ROOT is not set}
stratus=${STRATUS_BIN:?STRATUS_BIN is not set}
timeout_s=${SLURM_SWEEP_TIMEOUT:-240}
base=${SLURM_ONE_NODE_DIR:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$base/sweep.XXXXXX") || exit 1
[ -n "${SLURM_ONE_NODE_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

# The jobs run in the submission directory: the scenario at the path the recipe names.
mkdir -p "$work/scenarios"
cp "$root/scenarios/web-two-az.yaml" "$work/scenarios/"
cd "$work" || exit 1

# What the batch scripts read (their defaults are a bigger sweep).
export STRATUS=$stratus SCENARIO=scenarios/web-two-az.yaml VARY=instances.web.count=2..6:2
export REPS=3 SETS=duration=10m PARTS=parts RESULTS=results

fail() {
  log "FAIL: $*"
  squeue -a -o '%.18i %.9P %.20j %.8T %.10M %R' >&2
  for f in stratus-*.out; do [ -f "$f" ] && { log "--- $f"; cat "$f" >&2; }; done
  exit 1
}

t0=$(date +%s)
# The array as users submit it, narrowed to this machine: three tasks of one CPU each
# (command-line options override the #SBATCH lines).
out=$(timeout "$timeout_s" sbatch --parsable --array=0-2 --cpus-per-task=1 \
        --export=ALL "$root/docs/scale-out/sweep-array.sbatch") || fail "sbatch of the array"
array=${out%%;*}
log "submitted the job array $array"
# The merge after it, as the recipe shows; --wait returns when the merge has ended.
timeout "$timeout_s" sbatch --wait --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --export=ALL "$root/docs/scale-out/merge.sbatch" >/dev/null || fail "the merge job"
log "array and merge done in $(($(date +%s) - t0)) s"

for i in 0 1 2; do
  [ -f "parts/part-$i-of-3.sweep" ] || fail "parts/part-$i-of-3.sweep missing"
done

# The unsharded sweep, here, with the same options.
"$stratus" sweep "$SCENARIO" --vary "$VARY" --reps "$REPS" --set "$SETS" --quiet \
  --out whole >/dev/null || fail "the unsharded sweep"
for f in sweep.txt sweep.csv sweep.json; do
  cmp "whole/$f" "results/$f" || fail "results/$f differs from the unsharded sweep's"
done
log "1 passed, 0 failed: the job array's merged results are the unsharded sweep's, byte for byte"
