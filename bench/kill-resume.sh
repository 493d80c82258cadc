#!/usr/bin/env bash
# Process faults: kill -9 a synthesis at random moments, resume it with --resume until it finishes (a resumed run may
# be killed again), and compare each finished run with an uninterrupted one: history (every field but the clock and
# memory) and test error. Kills aimed inside real checkpoint writes: bench/kill-in-write.py.
# Usage: bench/kill-resume.sh [NEST_BINARY] [TRIALS] [WORK_DIR]; writes WORK_DIR/summary.md.
set -uo pipefail
nest=${1:-samples/Nest.Samples/bin/Release/net10.0/nest}
trials=${2:-20}
work=${3:-/tmp/nest-kill-resume}
options=(--seed lenet300 --threads 1 --no-progress --seed-epochs 1 --growth-steps 1 --growth-epochs 1 --converge-epochs 1
         --prune-epochs 1 --prune-steps 3 --variational-epochs 1)
rm -rf "$work" && mkdir -p "$work"
RANDOM=7

compare() {  # reference report, report -> "same" or what differs
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda h: [{k: v for k, v in e.items() if k not in ('seconds', 'residentBytes')} for e in h]
if strip(a['history']) != strip(b['history']): print('history differs')
elif a['final']['testError'] != b['final']['testError']: print('test error differs')
else: print('same')
PY
}

start=$(date +%s)
"$nest" synthesize "${options[@]}" --out "$work/reference" > "$work/reference.log" 2>&1 || { echo "reference run failed"; exit 1; }
echo "reference: $(( $(date +%s) - start )) s, $(grep '^final' "$work/reference.log")"

{
  echo "| trial | faults (where) | resumed from | skipped checkpoints | result |"
  echo "|---|---|---|---|---|"
} > "$work/summary.md"
same=0
for trial in $(seq 1 "$trials"); do
  dir="$work/trial-$trial"
  faults="" from="" skipped=0 runs=0
  while [ ! -f "$dir/report.json" ] && [ "$runs" -lt 6 ]; do
    runs=$((runs + 1))
    args=("${options[@]}" --out "$dir")
    [ -f "$dir/command.json" ] && args=(--resume "$dir" --threads 1 --no-progress)
    log="$dir.run-$runs.log"
    if [ "$runs" -le 2 ]; then
      "$nest" synthesize "${args[@]}" > "$log" 2>&1 &
      pid=$!
      delay=$(( RANDOM % 19 + 3 ))
      for _ in $(seq 1 "$delay"); do sleep 1; kill -0 "$pid" 2>/dev/null || break; done
      if kill -9 "$pid" 2>/dev/null; then faults="$faults kill -9 at ${delay} s;"; fi
      wait "$pid" 2>/dev/null
    else
      "$nest" synthesize "${args[@]}" > "$log" 2>&1
    fi
    r=$(grep -o 'resuming from [^:]*' "$log" | sed 's/resuming from //; s#.*/##')
    [ -n "$r" ] && from="$from $r"
    skipped=$((skipped + $(grep -c 'skipping checkpoint' "$log")))
    if grep -q "no checkpoint .*to resume from" "$log"; then rm -rf "$dir"; from="$from (none yet: started over)"; fi
  done
  if [ -f "$dir/report.json" ]; then result=$(compare "$work/reference/report.json" "$dir/report.json"); else result="did not finish"; fi
  [ "$result" = same ] && same=$((same + 1))
  echo "| $trial |${faults:- none} |${from:- -} | $skipped | $result |" >> "$work/summary.md"
  echo "trial $trial:${faults:- none} resumed from:${from:- -} -> $result"
done
echo "$same of $trials trials ended as the uninterrupted run ($(( $(date +%s) - start )) s in all)" | tee -a "$work/summary.md"
