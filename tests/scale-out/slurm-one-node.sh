#!/usr/bin/env bash
# slurm-one-node.sh CMD [ARGS...]
#
# Starts a private one-node Slurm cluster (munged + slurmctld + slurmd) on
# this machine, runs CMD with SLURM_CONF exported (so CMD may call sbatch,
# squeue, sinfo, scancel ...), then tears the cluster down and exits with
# CMD's status.
#
#   77  the Slurm or MUNGE daemons are not installed (meson's "skipped");
#       on Debian: apt-get install -y --no-install-recommends \
#                    slurmctld slurmd slurm-client munge
#   1   the cluster could not be started (its logs are printed)
#   *   otherwise CMD's own exit status
#
# Everything (munge key, socket, logs, slurm.conf, state and spool
# directories) lives in one private temporary directory under $TMPDIR (or
# /tmp); nothing is written to /etc, /var or /run.  The daemons run as root,
# the user this script runs as (CI runs as root).  Designed for containers
# without systemd or cgroups: proctrack/linuxproc, task/none,
# jobacct_gather/none, no accounting storage.
#
# Exported to CMD:
#   SLURM_CONF            the private slurm.conf
#   SLURM_ONE_NODE_DIR    the private temporary directory (CMD may put files
#                         there; it is removed afterwards)
#   SLURM_ONE_NODE_NODE   the node's name (hostname -s)
#
# Tunables (environment):
#   SLURM_ONE_NODE_TIMEOUT  seconds to wait for the node to become idle [90]
#   SLURM_ONE_NODE_KEEP=1   keep the temporary directory (for debugging)

set -u
set -o pipefail

PATH="$PATH:/usr/sbin:/sbin"

log() { printf 'slurm-one-node: %s\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

missing=""
for tool in munged slurmctld slurmd sinfo sbatch squeue scancel; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "SKIP: Slurm/MUNGE not installed (missing:$missing);" \
         "apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge"
    exit 77
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

# --- the private directory ------------------------------------------------
# munged insists that every directory above its socket be searchable by all
# (clients may run as any user), and that the key's directory be private;
# the socket's path must also fit in sun_path (108 bytes).  If $TMPDIR
# fails either (a deep meson build tree, a private 0700 directory), /tmp.
searchable_by_all() {
    local d
    d=$(cd "$1" 2>/dev/null && pwd -P) || return 1
    while :; do
        [ -n "$(find "$d" -maxdepth 0 -perm -o=x 2>/dev/null)" ] || return 1
        [ "$d" = / ] && return 0
        d=$(dirname "$d")
    done
}
base="${TMPDIR:-/tmp}"
if [ "${#base}" -gt 50 ] || ! searchable_by_all "$base"; then
    base=/tmp
fi
DIR=$(mktemp -d "$base/slurm1n.XXXXXX") || exit 1
chmod 0711 "$DIR"
mkdir -m 0700 "$DIR/munge" "$DIR/log" "$DIR/state" "$DIR/spool" "$DIR/run"
mkdir -m 0755 "$DIR/sock"

NODE=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
CONF="$DIR/slurm.conf"
MUNGE_SOCKET="$DIR/sock/munge.socket"

munged_pid=""
ctld_pid=""
slurmd_pid=""

print_logs() {
    for f in "$DIR"/log/*.log; do
        [ -f "$f" ] || continue
        echo "----- $f (last 40 lines) -----" >&2
        tail -n 40 "$f" >&2
    done
}

# Stops PID with SIGTERM, then SIGKILL after a grace period.
stop_pid() {
    local pid="$1" i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored SIGTERM; SIGKILL"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}

teardown() {
    local rc=$? i
    trap - EXIT INT TERM HUP
    if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
        # Cancel whatever CMD left behind and give the steps a moment to go,
        # so no slurmstepd outlives slurmd.
        scancel --full --quiet "--user=$(id -un)" >/dev/null 2>&1
        for i in $(seq 50); do
            [ -z "$(squeue -h -t PD,R,CG,S,CF -o %i 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
    stop_pid "$slurmd_pid"
    stop_pid "$ctld_pid"
    stop_pid "$munged_pid"
    if [ "${SLURM_ONE_NODE_KEEP:-0}" = 1 ]; then
        log "kept $DIR"
    else
        rm -rf "$DIR"
    fi
    exit "$rc"
}
# CMD runs in a session of its own (see below) so that a signal to this
# script can end CMD and all it started, then tear the cluster down.
cmd_pid=""
on_signal() {
    if [ -n "$cmd_pid" ] && kill -0 "$cmd_pid" 2>/dev/null; then
        kill -TERM -- "-$cmd_pid" 2>/dev/null || kill -TERM "$cmd_pid" 2>/dev/null
    fi
    exit "$1"
}
trap teardown EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

fail() {
    log "$*"
    print_logs
    exit 1
}

# --- munge ----------------------------------------------------------------
if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile="$DIR/munge/munge.key" \
        || fail "mungekey failed"
else
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 2>/dev/null \
        || fail "could not write a munge key"
fi
chmod 0600 "$DIR/munge/munge.key"

munged --foreground \
    --socket="$MUNGE_SOCKET" \
    --key-file="$DIR/munge/munge.key" \
    --pid-file="$DIR/run/munged.pid" \
    --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/munged.seed" \
    </dev/null >>"$DIR/log/munged.log" 2>&1 &
munged_pid=$!

for i in $(seq 100); do
    [ -S "$MUNGE_SOCKET" ] && break
    kill -0 "$munged_pid" 2>/dev/null || fail "munged exited"
    sleep 0.1
done
[ -S "$MUNGE_SOCKET" ] || fail "munged did not create its socket"
if command -v munge >/dev/null 2>&1 && command -v unmunge >/dev/null 2>&1; then
    munge -n --socket="$MUNGE_SOCKET" | unmunge --socket="$MUNGE_SOCKET" >/dev/null \
        || fail "munge round trip failed"
fi

# --- two free TCP ports -----------------------------------------------------
port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}
pick_port() {
    local p i
    for i in $(seq 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        [ "$p" = "${1:-}" ] && continue
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}
CTLD_PORT=$(pick_port) || fail "no free port"
SLURMD_PORT=$(pick_port "$CTLD_PORT") || fail "no free port"

# --- slurm.conf -------------------------------------------------------------
# `slurmd -C` prints this machine's real layout, e.g.
#   NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105
hw=$(slurmd -C 2>/dev/null | head -n 1)
case "$hw" in
    NodeName=*) hw="${hw#NodeName=* }" ;;
    *) hw="CPUs=$(nproc) RealMemory=$(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo)" ;;
esac

: >"$DIR/plugstack.conf"
cat >"$CONF" <<EOF
# Generated by slurm-one-node.sh: a private, throw-away one-node cluster.
ClusterName=oneNode
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$DIR/plugstack.conf
MailProg=/bin/true
# No cgroups, no systemd: plugins that work in a plain container.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$CONF"

# --- the daemons ------------------------------------------------------------
slurmctld -D -i -f "$CONF" </dev/null >>"$DIR/log/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -f "$CONF" -N "$NODE" </dev/null >>"$DIR/log/slurmd.out" 2>&1 &
slurmd_pid=$!

timeout_s="${SLURM_ONE_NODE_TIMEOUT:-90}"
deadline=$(( $(date +%s) + timeout_s ))
state=""
while :; do
    kill -0 "$ctld_pid" 2>/dev/null || fail "slurmctld exited"
    kill -0 "$slurmd_pid" 2>/dev/null || fail "slurmd exited"
    state=$(sinfo -h -N -n "$NODE" -o %t 2>/dev/null | head -n 1)
    case "$state" in
        idle) break ;;
        drain*|drng|down*|fail*|inval*) fail "node $NODE is '$state': $(sinfo -h -R 2>/dev/null)" ;;
    esac
    [ "$(date +%s)" -ge "$deadline" ] \
        && fail "node $NODE not idle after ${timeout_s}s (state '${state:-?}')"
    sleep 0.25
done
log "cluster ready in $(elapsed "$t_start") s" \
    "(node $NODE: $hw; slurmctld port $CTLD_PORT, slurmd port $SLURMD_PORT)"

# --- CMD --------------------------------------------------------------------
export SLURM_ONE_NODE_DIR="$DIR"
export SLURM_ONE_NODE_NODE="$NODE"
t_cmd=$(now)
# In the background (and its own process group, when setsid is there) so
# that this shell's traps run at once on a signal instead of after CMD.
# CMD's standard input stays this script's.
if command -v setsid >/dev/null 2>&1; then
    setsid -w "$@" <&0 &
else
    "$@" <&0 &
fi
cmd_pid=$!
wait "$cmd_pid"
cmd_status=$?
cmd_pid=""
log "command exited with status $cmd_status after $(elapsed "$t_cmd") s" \
    "(total $(elapsed "$t_start") s)"
[ "$cmd_status" -eq 0 ] || print_logs
exit "$cmd_status"
