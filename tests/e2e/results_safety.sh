#!/usr/bin/env bash
# A run never deletes or overwrites what it did not create: existing folders are refused (also
# with -o .), --force replaces only a marked lucsim results folder and keeps a user's own files,
# a second concurrent run into one folder is refused, SIGINT/SIGTERM remove the unfinished
# folder, and a later run removes what a killed run left.
# usage: results_safety.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
pids=() # runs started in the background, killed on exit
e2e_at_exit() { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done; }
quiet=(-q --log=root.thres:critical)
# long enough to be interrupted (about a minute), small enough to start at once
long=(--set duration=1000000 --set platform.pms=1000 --set vms.count=10000 --set platform.service_nodes=32)
# waits until path exists (at most 20 s)
wait_for() { for _ in $(seq 200); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }
cd "$work"

# 1. a user's folder holding a file named summary.csv, with and without --force: refused, untouched
mkdir mine && echo "my data" > mine/summary.csv && echo "notes" > mine/notes.txt
"$lucsim" run "${quiet[@]}" -o mine 2> err.txt
check test $? -eq 2
check grep -q "^output.dir: 'mine' exists, is not empty and is not a lucsim results folder" err.txt
check test "$(wc -l < err.txt)" -eq 1
"$lucsim" run "${quiet[@]}" -o mine --force 2>/dev/null
check test $? -eq 2
check test "$(cat mine/summary.csv)" = "my data"
check test "$(ls -A mine | tr '\n' ' ')" = "notes.txt summary.csv "

# 2. -o . (and ./, ..) in a folder holding such a file: refused, nothing deleted, nothing created
mkdir here && cd here && echo "my data" > summary.csv
for dir in . ./ .. "$work/here/."; do
  "$lucsim" run "${quiet[@]}" -o "$dir" --force 2> ../err.txt
  check test $? -eq 2
  check grep -q "names an existing folder, not a new one" ../err.txt
done
check test "$(ls -A | tr '\n' ' ')" = "summary.csv "
cd "$work"

# 3. an existing empty folder is used; a second run there is refused; --force replaces lucsim's files only
mkdir empty
check "$lucsim" run "${quiet[@]}" -o empty
check test -s empty/summary.csv -a -f empty/.lucsim-results
"$lucsim" run "${quiet[@]}" -o empty 2> err.txt
check test $? -eq 2
check grep -q "already holds lucsim results; choose a new folder, or add --force" err.txt
echo "added by me" > empty/analysis.txt
check "$lucsim" run "${quiet[@]}" -o empty --force --seed 2
check grep -q '^quickstart,none,2,' empty/summary.csv
check test ! -e empty/analysis.txt
old=$(ls -d empty.old-* 2>/dev/null)
check test -n "$old"
check test "$(ls -A "$old" 2>/dev/null)" = "analysis.txt" # kept, and only it
# a marker listing names outside the folder is never followed
mkdir evil && echo "keep" > victim.txt
printf 'lucsim results folder\nfile ../victim.txt\nfile /etc/passwd\nfile .\n' > evil/.lucsim-results
echo x > evil/summary.csv
check "$lucsim" run "${quiet[@]}" -o evil --force
check test "$(cat victim.txt)" = "keep"

# 4. two concurrent runs into one folder: the second is refused with one line naming the first
"$lucsim" run "${quiet[@]}" "${long[@]}" -o busy &
first=$!
pids+=("$first")
check wait_for busy.lock
sleep 0.3
"$lucsim" run "${quiet[@]}" -o busy 2> err.txt
check test $? -eq 2
check grep -q "^output.dir: another lucsim run (pid $first) is writing 'busy'" err.txt

# 5. SIGINT removes the temporary folder and the lock, exit 128 + 2, one clear line
kill -INT "$first"
wait "$first"
check test $? -eq 130
check test ! -e busy -a ! -e busy.lock -a ! -e "busy.tmp-$first"
check test -z "$(ls -d busy* 2>/dev/null)"
"$lucsim" run "${quiet[@]}" "${long[@]}" -o term 2> err.txt &
p=$!
pids+=("$p")
check wait_for "term.tmp-$p/.lucsim-results"
sleep 0.3
kill -TERM "$p"
wait "$p"
check test $? -eq 143
check test "$(cat err.txt)" = "lucsim: stopped by SIGTERM; removed the unfinished results folder 'term.tmp-$p'"
check test -z "$(ls -d term* 2>/dev/null)"

# 6. a killed run (SIGKILL: no clean-up possible) leaves its temporary folder; the next run removes it
"$lucsim" run "${quiet[@]}" "${long[@]}" -o killed &
p=$!
pids+=("$p")
check wait_for "killed.tmp-$p/.lucsim-results"
sleep 0.3
kill -KILL "$p"
wait "$p" 2>/dev/null
check test -d "killed.tmp-$p"
mkdir killed.tmp-999999999 && echo mine > killed.tmp-999999999/data.txt # not lucsim's: kept
check "$lucsim" run "${quiet[@]}" -o killed
check test ! -e "killed.tmp-$p" -a ! -e killed.lock
check test -s killed/summary.csv
check test "$(cat killed.tmp-999999999/data.txt)" = "mine"

finish
