#!/usr/bin/env bash
# Training speed and peak memory: Nest against the PyTorch peer (../shared/peers), side by side in
# one run, same thread count on both sides. Needs: apt-get install python3-torch libopenblas0-pthread time
#
#   bash bench/train-speed.sh            # EPOCHS=3 THREADS=1 by default
#
# Prints a markdown table and writes it to bench/results/train-speed.md.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-3}
THREADS=${THREADS:-1}
PEER=${PEER:-../shared/peers/torch_prune_lenet300.py}
PEER5=bench/suite/torch_prune.py   # the suite's copy of the peer, with --lenet5
OUT=artifacts/bench/train-speed
rm -rf "$OUT" && mkdir -p "$OUT" bench/results

dotnet build samples/Nest.Samples -c Release -v q -nologo > "$OUT/build.log"
nest=(dotnet samples/Nest.Samples/bin/Release/net10.0/nest.dll)
DATA=$("${nest[@]}" fetch-data | tail -1)

run_nest() {   # name, then train arguments
  local name=$1; shift
  /usr/bin/time -v "${nest[@]}" train "$@" --threads "$THREADS" --no-progress --data "$DATA" --out "$OUT/$name" \
    > "$OUT/$name.log" 2> "$OUT/$name.time"
}

OMP_NUM_THREADS=$THREADS /usr/bin/time -v /usr/bin/python3 "$PEER" "$DATA" --threads "$THREADS" --epochs "$EPOCHS" --rounds 0 \
  > "$OUT/peer.log" 2> "$OUT/peer.time"
OMP_NUM_THREADS=$THREADS /usr/bin/time -v /usr/bin/python3 "$PEER5" "$DATA" --lenet5 --threads "$THREADS" --epochs 2 --rounds 0 \
  > "$OUT/peer5.log" 2> "$OUT/peer5.time"
run_nest lenet300-masked --seed lenet300-masked --epochs "$EPOCHS"
run_nest lenet300-dense --seed lenet300 --dense --epochs "$EPOCHS"
run_nest lenet300-seed --seed lenet300 --epochs "$EPOCHS"
run_nest lenet5-dense --seed lenet5 --dense --epochs 2
run_nest lenet5-seed --seed lenet5 --epochs 2

/usr/bin/python3 - "$OUT" "$EPOCHS" "$THREADS" <<'PY' | tee bench/results/train-speed.md
import json, re, statistics, sys, platform, os
out, epochs, threads = sys.argv[1], sys.argv[2], sys.argv[3]
def peak(name):
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(f'{out}/{name}.time').read())
    return int(m.group(1)) / 1024
def nest(name):
    r = json.load(open(f'{out}/{name}/report.json'))
    return statistics.median(h['seconds'] for h in r['history']), peak(name), r
peer_log = open(f'{out}/peer.log').read()
peer_epoch = float(re.search(r'epoch_s\(median\)=([0-9.]+)', peer_log).group(1))
peer_error = re.search(r'error=([0-9.]+)%', peer_log).group(1)
rows = [('PyTorch peer: dense LeNet-300-100', peer_epoch, peak('peer'), f'{peer_error}%', '266,610')]
peer5_log = open(f'{out}/peer5.log').read()
peer5_epoch = float(re.search(r'epoch_s\(median\)=([0-9.]+)', peer5_log).group(1))
peer5 = ('PyTorch peer: dense LeNet-5 (2 epochs)', peer5_epoch, peak('peer5'),
         re.search(r'error=([0-9.]+)%', peer5_log).group(1) + '%', '431,080')
for name, label in [('lenet300-masked', 'Nest: masked LeNet-300-100, 10% live'), ('lenet300-dense', 'Nest: dense LeNet-300-100'),
                    ('lenet300-seed', 'Nest: LeNet-300-100 seed (120-40, 10%)'), ('lenet5-dense', 'Nest: dense LeNet-5 (2 epochs)'),
                    ('lenet5-seed', 'Nest: masked LeNet-5 seed, 30% live convolutions (2 epochs)')]:
    t, m, r = nest(name)
    rows.append((label, t, m, f"{100*r['testError']:.2f}%", f"{r['parameters']:,}"))
    if name == 'lenet300-seed': rows.append(peer5)
print(f'# Training speed, measured side by side ({epochs} epochs unless noted, {threads} thread(s), {os.cpu_count()} cores, {platform.machine()})\n')
print('| run | seconds per epoch (median) | peak RSS (MiB) | test error after the run | parameters |')
print('|---|---|---|---|---|')
for label, t, m, e, p in rows:
    print(f'| {label} | {t:.2f} | {m:.0f} | {e} | {p} |')
masked = rows[1][1]
print(f'\nMasked LeNet-300-100 (Nest) / dense LeNet-300-100 (PyTorch), seconds per epoch: **{masked / peer_epoch:.2f}x**; '
      f'masked LeNet-5 (Nest) / dense LeNet-5 (PyTorch): **{rows[-1][1] / peer5_epoch:.2f}x** (target <= 1.0x, issue 28). '
      'PyTorch is the Debian package (python3-torch), Nest runs LibTorch 2.10 through TorchSharp.')
PY
