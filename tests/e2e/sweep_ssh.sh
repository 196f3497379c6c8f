#!/usr/bin/env bash
# scripts/sweep --sshloginfile over real ssh: an sshd of its own, on 127.0.0.1 and a free port, with
# keys made for the test (no password, no system configuration touched), runs the sweep's jobs
# through GNU parallel's ssh; the results equal a local sweep's byte for byte (every file of every
# run but experiment.xml, which names its folder). openssh-server is installed by scripts/install-deps.
# usage: sweep_ssh.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$(realpath "$1")
src=$2
sweep=$src/scripts/sweep
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh > /dev/null; then
  echo "sweep_ssh: sshd or ssh is missing (scripts/install-deps installs openssh-server)" >&2
  exit 1
fi
cd "$work"
e2e_at_exit() { [ -s "$work/sshd.pid" ] && kill "$(cat "$work/sshd.pid")" 2> /dev/null; }

ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N '' -f user_key
cp user_key.pub authorized_keys
chmod 600 authorized_keys user_key host_key
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' "ListenAddress 127.0.0.1" "Port $port" "HostKey $work/host_key" \
  "AuthorizedKeysFile $work/authorized_keys" "PidFile $work/sshd.pid" "PasswordAuthentication no" \
  "KbdInteractiveAuthentication no" "PubkeyAuthentication yes" "PermitRootLogin prohibit-password" \
  "StrictModes no" "UsePAM no" > sshd_config
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd # sshd's privilege-separation folder, when run as root
/usr/sbin/sshd -f "$work/sshd_config" -E "$work/sshd.log"
check test $? -eq 0
ssh_cmd="ssh -p $port -i $work/user_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
for _ in $(seq 50); do $ssh_cmd 127.0.0.1 true 2> /dev/null && break; sleep 0.1; done
check $ssh_cmd 127.0.0.1 true # the login works
echo "2/$ssh_cmd 127.0.0.1" > sshloginfile

printf '%s\n' '<experiment name="tiny" seed="1" duration="300s">' '  <platform pms="8"/>' '  <vms count="80"/>' \
  '  <output trace="states"/>' '</experiment>' > tiny.xml
args=(tiny.xml --lucsim "$lucsim" --seeds 1-2 --schedulers none,entropy,dvms --set injector.load.mean=70)
"$sweep" "${args[@]}" --out "$work/local" -j 2 2> local.err
check test $? -eq 0
"$sweep" "${args[@]}" --out "$work/remote" --sshloginfile sshloginfile 2> remote.err
check test $? -eq 0
check grep -q "sweep: 6 runs, 0 finished, 6 to run" remote.err
check test "$(find remote -name summary.csv | wc -l)" -eq 6
# the jobs ran through ssh: the joblog names the sshlogin
check test "$(awk -F'\t' 'NR > 1 && $2 ~ /127.0.0.1/' remote/sweep.joblog | wc -l)" -eq 6
for summary in local/*/summary.csv; do # the run folders (logs/ names paths)
  run=$(dirname "$summary")/
  name=$(basename "$run")
  for f in "$run"*; do
    [ "$(basename "$f")" = experiment.xml ] && continue
    check same_result_file "$f" "remote/$name/$(basename "$f")"
  done
done
finish
