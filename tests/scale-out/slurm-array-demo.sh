#!/usr/bin/env bash
# slurm-array-demo.sh: submits a three-task Slurm job array, waits for it
# to finish and checks each task's output.  Meant to run inside
# slurm-one-node.sh (which exports SLURM_CONF), but works on any cluster
# where sbatch is configured:
#
#   bash tests/scale-out/slurm-one-node.sh bash tests/scale-out/slurm-array-demo.sh
#
# The batch script below is the form our docs show users: #SBATCH lines
# for the array and the output files, and $SLURM_ARRAY_TASK_ID picking the
# task's share of the work.
#
# Tunables: SLURM_ARRAY_DEMO_TIMEOUT  seconds to wait for the array [120]

set -u
set -o pipefail

log() { printf 'slurm-array-demo: %s\n' "$*" >&2; }

base="${SLURM_ONE_NODE_DIR:-${TMPDIR:-/tmp}}"
work=$(mktemp -d "$base/array-demo.XXXXXX") || exit 1
[ -n "${SLURM_ONE_NODE_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

cat >"$work/array-job.sh" <<'EOF'
#!/bin/bash
#SBATCH --job-name=stratus-array-demo
#SBATCH --array=0-2
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=00:05:00
#SBATCH --output=out-%a.txt
# Relative paths (the output files, and any input the task reads) are taken
# from the submission directory (sbatch --chdir, or where sbatch is run).
echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT"
EOF

timeout_s="${SLURM_ARRAY_DEMO_TIMEOUT:-120}"
t0=$(date +%s.%N)
# --wait: sbatch returns once every task of the array has ended, with the
# highest exit status among them.
out=$(cd "$work" && timeout "$timeout_s" sbatch --wait --parsable array-job.sh)
rc=$?
job=${out%%;*}
t1=$(date +%s.%N)
log "job array ${job:-?} finished with status $rc in" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

if [ "$rc" -ne 0 ]; then
    log "sbatch --wait failed (status $rc; 124 means the ${timeout_s}s timeout)"
    squeue -a -o '%.18i %.9P %.20j %.8T %.10M %R' >&2
    scontrol show job "$job" >&2 2>/dev/null
    exit 1
fi

failed=0
for i in 0 1 2; do
    f="$work/out-$i.txt"
    want="task $i of 3"
    if [ ! -f "$f" ]; then
        log "FAIL: $f missing"
        failed=$((failed + 1))
    elif [ "$(cat "$f")" != "$want" ]; then
        log "FAIL: $f holds '$(cat "$f")', want '$want'"
        failed=$((failed + 1))
    else
        log "ok: out-$i.txt: $want"
    fi
done
extra=$(find "$work" -name 'out-*.txt' | wc -l)
if [ "$extra" -ne 3 ]; then
    log "FAIL: $extra output files, want 3"
    failed=$((failed + 1))
fi

if [ "$failed" -eq 0 ]; then
    echo "1 passed, 0 failed"
    exit 0
fi
echo "0 passed, 1 failed"
exit 1
