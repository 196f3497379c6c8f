#!/usr/bin/env bash
# scripts/sweep --slurm on a real Slurm: a single-node cluster of its own (munged, slurmctld and
# slurmd from Debian's slurm-wlm and munge, started by the test as root with a key, sockets, ports
# and spool folders under its temporary folder: no system configuration touched), runs the sweep's
# job array with sbatch --wait; a second sweep command collects it; every run's files equal a local
# sweep's byte for byte. The daemons are stopped at exit. scripts/install-deps installs the packages.
# usage: sweep_slurm.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$(realpath "$1")
src=$2
sweep=$src/scripts/sweep
for b in munged mungekey slurmctld slurmd sbatch; do
  if ! command -v $b > /dev/null && [ ! -x /usr/sbin/$b ]; then
    echo "sweep_slurm: $b is missing (scripts/install-deps installs slurm-wlm and munge)" >&2
    exit 1
  fi
done
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo -n" # the daemons run as root, as on a cluster
cd "$work"
chmod 700 "$work"
e2e_at_exit() {
  for p in slurmd slurmctld munged; do
    [ -s "$work/$p.pid" ] && $as_root kill "$(cat "$work/$p.pid")" 2> /dev/null
  done
  sleep 0.5 # let them leave before their folder goes
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

$as_root /usr/sbin/mungekey -c -k "$work/munge.key" 2> /dev/null || mungekey -c -k "$work/munge.key"
$as_root /usr/sbin/munged -f --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed"
check test $? -eq 0
mkdir -p state spool
printf '%s\n' "ClusterName=lucsimtest" "SlurmctldHost=localhost(127.0.0.1)" "SlurmctldPort=$(free_port)" \
  "SlurmdPort=$(free_port)" "AuthType=auth/munge" "AuthInfo=socket=$work/munge.sock" "CredType=cred/munge" \
  "SlurmUser=root" "SlurmdUser=root" "StateSaveLocation=$work/state" "SlurmdSpoolDir=$work/spool" \
  "SlurmctldPidFile=$work/slurmctld.pid" "SlurmdPidFile=$work/slurmd.pid" "SlurmctldLogFile=$work/slurmctld.log" \
  "SlurmdLogFile=$work/slurmd.log" "ProctrackType=proctrack/linuxproc" "TaskPlugin=task/none" \
  "SelectType=select/cons_tres" "SelectTypeParameters=CR_Core" "SwitchType=switch/none" "MpiDefault=none" \
  "ReturnToService=2" "JobAcctGatherType=jobacct_gather/none" "AccountingStorageType=accounting_storage/none" \
  "NodeName=lucsimnode NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN" \
  "PartitionName=test Nodes=lucsimnode Default=YES MaxTime=INFINITE State=UP" > slurm.conf
export SLURM_CONF=$work/slurm.conf
$as_root env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmctld -i
check test $? -eq 0
$as_root env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmd -N lucsimnode
check test $? -eq 0
for _ in $(seq 100); do sinfo -h -o %t 2> /dev/null | grep -q idle && break; sleep 0.2; done
check test "$(sinfo -h -o %t)" = idle

printf '%s\n' '<experiment name="tiny" seed="1" duration="300s">' '  <platform pms="8"/>' '  <vms count="80"/>' \
  '  <output trace="states"/>' '</experiment>' > tiny.xml
args=(tiny.xml --lucsim "$lucsim" --seeds 1-2 --schedulers none,entropy,dvms --set injector.load.mean=70)
"$sweep" "${args[@]}" --out "$work/local" -j 2 2> local.err
check test $? -eq 0
script=$("$sweep" "${args[@]}" --out "$work/cluster" --slurm 2> slurm.err)
check test "$script" = "$work/cluster/sweep.slurm"
timeout 300 sbatch --wait --time=00:05:00 "$script" > sbatch.out
check test $? -eq 0
check grep -q "Submitted batch job" sbatch.out
check test "$(ls cluster/logs/slurm-*.out | wc -l)" -eq 6 # one log per array task: they ran under Slurm
"$sweep" "${args[@]}" --out "$work/cluster" 2> collect.err # everything finished: collects only
check test $? -eq 0
check grep -q "sweep: 6 runs, 6 finished, 0 to run" collect.err
check test "$(wc -l < cluster/sweep-summary.csv)" -eq 7
for summary in local/*/summary.csv; do # the run folders (logs/ names paths)
  run=$(dirname "$summary")
  for f in "$run"/*; do
    [ "$(basename "$f")" = experiment.xml ] && continue
    check same_result_file "$f" "cluster/$(basename "$run")/$(basename "$f")"
  done
done
finish
