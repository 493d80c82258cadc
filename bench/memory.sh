#!/usr/bin/env bash
# Memory and time stability over a long masked training run: resident memory after each epoch and
# seconds per epoch, with Nest's allocator setting and with glibc's default (NEST_MALLOC_DEFAULT=1).
#
#   bash bench/memory.sh          # EPOCHS=10, seeds lenet300-masked and lenet5
#
# Prints a markdown table and writes it to bench/results/memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-10}
SEEDS=${SEEDS:-"lenet300-masked lenet5"}
OUT=artifacts/bench/memory
rm -rf "$OUT" && mkdir -p "$OUT" bench/results
dotnet build samples/Nest.Samples -c Release -v q -nologo > "$OUT/build.log"
nest=(dotnet samples/Nest.Samples/bin/Release/net10.0/nest.dll)
DATA=$("${nest[@]}" fetch-data | tail -1)

for seed in $SEEDS; do
  "${nest[@]}" train --seed "$seed" --epochs "$EPOCHS" --no-progress --data "$DATA" --out "$OUT/$seed" > "$OUT/$seed.log"
  NEST_MALLOC_DEFAULT=1 "${nest[@]}" train --seed "$seed" --epochs "$EPOCHS" --no-progress --data "$DATA" --out "$OUT/$seed-glibc" > "$OUT/$seed-glibc.log"
done

/usr/bin/python3 - "$OUT" "$SEEDS" <<'PY' | tee bench/results/memory.md
import json, sys
out, seeds = sys.argv[1], sys.argv[2].split()
print('# Memory and time over a masked training run (measured)\n')
print('| seed | allocator | RSS after epoch 1 (MiB) | RSS after last epoch (MiB) | growth | s/epoch first 3 | s/epoch last 3 |')
print('|---|---|---|---|---|---|---|')
for seed in seeds:
    for suffix, label in [('', 'Nest (mmap threshold 4 MiB)'), ('-glibc', 'glibc default')]:
        h = json.load(open(f'{out}/{seed}{suffix}/report.json'))['history']
        first, last = h[0]['residentBytes'] / 2**20, h[-1]['residentBytes'] / 2**20
        s = [e['seconds'] for e in h]
        print(f'| {seed} | {label} | {first:.0f} | {last:.0f} | {100*(last/first-1):+.1f}% | '
              f'{sum(s[:3])/3:.2f} | {sum(s[-3:])/3:.2f} |')
print(f'\nEpochs: {len(h)}. Target: RSS after epoch 10 within 10% of after epoch 1; time per epoch not growing.')
PY
