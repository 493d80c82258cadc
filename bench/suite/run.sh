#!/usr/bin/env bash
# Runs the suite's jobs (jobs.sh) two at a time at one thread each; each job's output in OUT/logs/NAME.log.
# usage: run.sh NEST DATA OUT [FILTER]   (FILTER: an extended regular expression that the whole job name matches)
set -u
nest=$1 data=$2 out=$3 filter=${4:-.*}
mkdir -p "$out/logs"
bash "$(dirname "$0")/jobs.sh" "$nest" "$data" "$out" | grep -E "^($filter)\|" |
  while IFS='|' read -r name command; do printf '%s\0' "echo start $name \$(date +%T); $command > $out/logs/$name.log 2>&1; echo end $name \$? \$(date +%T)"; done |
  xargs -0 -P 2 -I{} bash -c {}
