#!/usr/bin/env bash
# Copies the finished suite runs from OUT (run.sh's folder) into bench/results/suite/ and rebuilds docs/results.md.
# usage: collect.sh OUT
set -eu
out=$1 dest=bench/results/suite
mkdir -p "$dest"
for report in "$out"/*/report.json; do
  name=$(basename "$(dirname "$report")")
  cp "$report" "$dest/$name.json"
done
for report in "$out"/ablation-*/*/report.json; do
  [ -f "$report" ] || continue
  run=$(dirname "$report"); rule=$(basename "$(dirname "$run")")
  mkdir -p "$dest/$rule" && cp "$report" "$dest/$rule/$(basename "$run").json"
done
for log in "$out"/logs/*-peer.log; do
  [ -s "$log" ] && grep -q "prune phase" "$log" && cp "$log" "$dest/"
done
python3 bench/suite/results.py
