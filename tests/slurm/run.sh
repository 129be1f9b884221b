#!/bin/bash
# End-to-end test of deploy/slurm/ on a real Slurm cluster: a one-node cluster on this
# machine (munged, slurmctld, slurmd from Debian's slurm-wlm and munge, installed when
# missing), the unchanged deploy/slurm/submit.sh for a 10^7-trial run in 4 shards, and the
# merged summary compared with the same run on one machine (it must be identical). Every
# daemon it starts is stopped by PID on exit, whether the test passed or not.
#
#   tests/slurm/run.sh [TRIALS] [SHARDS] [SCENARIO]
#
# Needs root (to install packages and run the daemons). Exit 0 on success.
set -euo pipefail

trials="${1:-10000000}"
shards="${2:-4}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
scenario="${3:-$repo/scenarios/cloud_im_500.toml}"

if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: the Slurm cluster test needs root (packages and daemons)" >&2
    exit 3
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "installing slurm-wlm and munge…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi

work="$(mktemp -d /tmp/payback-slurm.XXXXXX)"
chmod 755 "$work" # munged and the jobs' users must reach into it
pids=()
cleanup() {
    local rc=$?
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [ $rc != 0 ]; then
        echo "--- slurmctld.log"; tail -20 "$work/slurmctld.log" 2>/dev/null || true
        echo "--- slurmd.log"; tail -20 "$work/slurmd.log" 2>/dev/null || true
        echo "--- job logs"; tail -5 "$work"/run/*.log 2>/dev/null || true
        echo "FAILED (logs kept in $work)"
    else
        rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: its own socket and pid file in the work folder, so that nothing else is touched.
mkdir -p "$work/munge"
chown munge:munge "$work/munge"
chmod 755 "$work/munge" # munged wants its socket's folder reachable by all
runuser -u munge -- /usr/sbin/munged --foreground \
    --socket="$work/munge/munge.socket.2" --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" \
    >"$work/munged.out" 2>&1 &
pids+=($!)

host="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$work/state" "$work/spool" "$work/run"
cat >"$work/slurm.conf" <<CONF
ClusterName=payback-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket.2
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
for _ in $(seq 50); do [ -S "$work/munge/munge.socket.2" ] && break; sleep 0.1; done
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    state="$(timeout 5 sinfo -h -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && break
    sleep 0.2
done
[ "$state" = idle ] || { echo "the node did not come up (state: ${state:-none})"; exit 1; }
echo "cluster up: $(sinfo -h -o '%P %D %T %c')"

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
export PAYBACK="$repo/target/release/payback"

started=$(date +%s.%N)
read -r array merge < <("$repo/deploy/slurm/submit.sh" "$scenario" "$trials" "$shards" "$work/run")
echo "submitted array $array ($shards shards) and merge $merge (afterok)"
for _ in $(seq 3000); do
    timeout 5 squeue -h -j "$array,$merge" 2>/dev/null | grep -q . || break
    sleep 0.2
done
finished=$(date +%s.%N)
state="$(scontrol show job "$merge" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')"
[ "$state" = COMPLETED ] || { echo "merge job $merge ended $state"; exit 1; }
echo "array and merge done in $(echo "$finished - $started" | bc) s"

"$PAYBACK" run "$scenario" --trials "$trials" --quiet --format json --out "$work/one" >/dev/null
for f in summary.json cashflow.csv; do
    if ! cmp "$work/one/$f" "$work/run/results/$f"; then
        echo "$f differs between the merged shards and the run on one machine"
        diff <(head -c 2000 "$work/one/$f") <(head -c 2000 "$work/run/results/$f") || true
        exit 1
    fi
done
echo "OK: the merged $shards-shard run equals the one-machine run ($trials trials)"
