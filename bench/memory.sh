#!/usr/bin/env bash
# Memory and time stability over a long masked training run: resident memory after each epoch and
# seconds per epoch under each allocator remedy (Nest.Runtime/NativeMemory.cs): NEST_MALLOC=mmap (a 4 MiB mmap
# threshold), trim (glibc's default and malloc_trim after each epoch) and default (neither).
#
#   bash bench/memory.sh          # EPOCHS=10, seeds lenet300-masked and lenet5
#
# Prints a markdown table and writes it to bench/results/memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-10}
SEEDS=${SEEDS:-"lenet300masked lenet5"}
OUT=artifacts/bench/memory
rm -rf "$OUT" && mkdir -p "$OUT" bench/results
dotnet build samples/Nest.Samples -c Release -v q -nologo > "$OUT/build.log"
nest=(dotnet samples/Nest.Samples/bin/Release/net10.0/nest.dll)
DATA=$("${nest[@]}" fetch-data | tail -1)

for seed in $SEEDS; do
  for mode in mmap trim default; do
    NEST_MALLOC=$mode "${nest[@]}" train --seed "$seed" --epochs "$EPOCHS" --threads "${THREADS:-1}" --no-progress --data "$DATA" \
      --out "$OUT/$seed-$mode" > "$OUT/$seed-$mode.log"
  done
done

/usr/bin/python3 - "$OUT" "$SEEDS" <<'PY' | tee bench/results/memory.md
import json, sys
out, seeds = sys.argv[1], sys.argv[2].split()
print('# Memory and time over a masked training run (measured)\n')
print('| seed | allocator (NEST_MALLOC) | RSS after epoch 2 (MiB) | RSS after last epoch (MiB) | growth | s/epoch first 3 | s/epoch last 3 |')
print('|---|---|---|---|---|---|---|')
labels = {'mmap': 'mmap: threshold 4 MiB', 'trim': 'trim: a collection and malloc_trim per epoch', 'default': 'default: glibc alone'}
for seed in seeds:
    for mode, label in labels.items():
        h = json.load(open(f'{out}/{seed}-{mode}/report.json'))['history']
        first, last = h[1]['residentBytes'] / 2**20, h[-1]['residentBytes'] / 2**20
        s = [e['seconds'] for e in h]
        print(f'| {seed} | {label} | {first:.0f} | {last:.0f} | {100*(last/first-1):+.1f}% | '
              f'{sum(s[:3])/3:.2f} | {sum(s[-3:])/3:.2f} |')
print(f'\nEpochs: {len(h)}, one thread. Target (issue 28): RSS after the last epoch within 5% of after epoch 2; time per '
      'epoch not growing.')
PY
