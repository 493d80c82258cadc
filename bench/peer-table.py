#!/usr/bin/env python3
"""Error against compression: a Nest synthesis report and a peer log -> markdown table.
usage: peer-table.py NEST_REPORT.json PEER_LOG"""
import json, re, sys

DENSE_WEIGHTS = 784 * 300 + 300 * 100 + 100 * 10   # 266,200, as the peer counts
report, peer_log = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
peer = [(DENSE_WEIGHTS / int(w), float(e)) for w, e in re.findall(r'weights=(\d+) compression=[0-9.]+x error=([0-9.]+)%', peer_log)]
dense = re.search(r'dense: weights=\d+ error=([0-9.]+)%', peer_log)
nest = [(DENSE_WEIGHTS / h['connections'], 100 * h['testErrorReportOnly'], h['phase'], h['accepted'])
        for h in report['history'] if h.get('testErrorReportOnly') is not None and h['phase'] in ('prune', 'final')]
kept = [(c, e) for c, e, phase, accepted in nest if accepted]

print('# Error against compression: Nest synthesis vs the PyTorch peer (measured here)\n')
print(f"Peer: dense LeNet-300-100 trained 20 epochs with augmentation (test error {dense.group(1) if dense else '?'}%), "
      'then 16 rounds of global magnitude pruning (25%) with 3 fine-tuning epochs each. '
      f"Nest: `{report.get('command', 'nest synthesize --seed lenet300')}` from the 120-40 seed. "
      'Compression = 266,200 dense weights / live weights (biases not counted, as the peer counts).\n')
print('| compression (peer) | peer test error | Nest, nearest kept step at >= that compression | Nest test error |')
print('|---|---|---|---|')
for c, e in peer:
    better = [(nc, ne) for nc, ne in kept if nc >= c]
    match = min(better, key=lambda x: x[0]) if better else None
    print(f"| {c:.1f}x | {e:.2f}% | {f'{match[0]:.1f}x' if match else '(not reached)'} | {f'{match[1]:.2f}%' if match else ''} |")
f = report['final']
print(f"\nNest final: {DENSE_WEIGHTS / f['connections']:.1f}x ({f['connections']:,} weights), test error {100 * f['testError']:.2f}%.")
