#!/usr/bin/env bash
# The cluster path, run for real: sets up a single-node Slurm on this
# machine (Debian's slurm-wlm and munge; installed with apt-get if missing,
# which needs root), builds walkaway the way the README builds it, submits
# the forecast and ensemble array jobs of docs/performance.md, merges the
# parts and checks that they equal the single-machine run byte for byte
# (the `seconds` and `threads` fields, which say how a run went, are left
# out on both sides).
#
#   bash tests/cluster/slurm.sh            # a few minutes on two cores
#
# Not part of every CI pass (it installs system packages and starts
# daemons); docs/performance.md says when it last passed. The daemons are
# stopped on exit; their files live in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

tasks=${TASKS:-4}
trajectories=${TRAJECTORIES:-20000}

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing slurm-wlm and munge (apt-get)"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi

echo "== building walkaway (cargo build --release, as the README does)"
cargo build --release --locked -p walkaway --quiet
bin="$repo/${CARGO_TARGET_DIR:-target}/release/walkaway"

work=$(mktemp -d /tmp/walkaway-slurm.XXXXXX)
chmod 755 "$work"
host=$(hostname -s)
cpus=$(nproc)
memory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512))
mkdir -p "$work"/{spool,state,log,munge-run,munge-lib,jobs}

cleanup() {
    [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
    [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
    [ -f "$work/munge-run/munged.pid" ] && kill "$(cat "$work/munge-run/munged.pid")" 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== munge (authentication between the Slurm daemons)"
key="$work/munge.key"
if [ -r /etc/munge/munge.key ]; then
    cp /etc/munge/munge.key "$key"
else
    dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
fi
chmod 400 "$key"
chown root:root "$key" "$work/munge-run" "$work/munge-lib"
chmod 700 "$work/munge-lib"
munged --key-file="$key" --socket="$work/munge-run/munge.socket" \
    --pid-file="$work/munge-run/munged.pid" --seed-file="$work/munge-lib/seed" \
    --log-file="$work/log/munged.log" --force
export MUNGE_SOCKET="$work/munge-run/munge.socket"

echo "== slurm.conf: one node ($host, $cpus CPUs)"
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=walkaway-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge-run/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then break; fi
    sleep 1
done
sinfo -h -o '%P %D %T' | grep -q idle || { echo "the Slurm node did not come up:"; tail -20 "$work/log/slurmctld.log" "$work/log/slurmd.log"; exit 1; }

# The job scripts of docs/performance.md, with the scale of this test.
cat > "$work/jobs/forecast.sh" <<JOB
#!/bin/bash
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/jobs/forecast-%a.log
export RAYON_NUM_THREADS=\$SLURM_CPUS_PER_TASK
"$bin" forecast --trajectories $trajectories --seed 7 \\
  --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT \\
  --save-tally $work/jobs/forecast-part-\$SLURM_ARRAY_TASK_ID.json
JOB
cat > "$work/jobs/ensemble.sh" <<JOB
#!/bin/bash
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/jobs/ensemble-%a.log
export RAYON_NUM_THREADS=\$SLURM_CPUS_PER_TASK
"$bin" ensemble laura-petrarch --trajectories $((trajectories * 5)) --seed 7 \\
  --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT \\
  --save-tally $work/jobs/ensemble-part-\$SLURM_ARRAY_TASK_ID.json
JOB

echo "== submitting two array jobs of $tasks tasks each (sbatch --wait)"
sbatch --wait --array=0-$((tasks - 1)) "$work/jobs/forecast.sh" &
forecast_job=$!
sbatch --wait --array=0-$((tasks - 1)) "$work/jobs/ensemble.sh" &
ensemble_job=$!
wait $forecast_job || { cat "$work"/jobs/forecast-*.log; exit 1; }
wait $ensemble_job || { cat "$work"/jobs/ensemble-*.log; exit 1; }

echo "== merging the parts and comparing with one machine"
# `seconds` (wall-clock time) and `threads` (the cores the run had) say how
# a run went, not what it computed; every other byte must be equal.
zero_seconds() {
    python3 -c 'import json,sys; d=json.load(sys.stdin); d["seconds"]=0; d.pop("threads", None); print(json.dumps(d, sort_keys=True))'
}
status=0
for kind in forecast ensemble; do
    "$bin" merge "$work"/jobs/$kind-part-*.json --format json | zero_seconds > "$work/$kind-merged.json"
done
"$bin" forecast --trajectories $trajectories --seed 7 --format json | zero_seconds > "$work/forecast-whole.json"
"$bin" ensemble laura-petrarch --trajectories $((trajectories * 5)) --seed 7 --format json \
    | zero_seconds > "$work/ensemble-whole.json"
for kind in forecast ensemble; do
    if cmp -s "$work/$kind-merged.json" "$work/$kind-whole.json"; then
        echo "$kind: $tasks Slurm parts merged = one machine, byte for byte ($(wc -c < "$work/$kind-whole.json") bytes)"
    else
        echo "$kind: the merged parts differ from one machine:"
        diff <(tr ',' '\n' < "$work/$kind-merged.json") <(tr ',' '\n' < "$work/$kind-whole.json") | head -20
        status=1
    fi
done
[ $status = 0 ] && echo "cluster path: passed on $(date -u +%Y-%m-%d) with $(sinfo -V)"
exit $status
