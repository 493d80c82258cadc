#!/usr/bin/env python3
"""Error against compression: Nest synthesis reports and a peer log -> markdown table.
usage: peer-table.py PEER_LOG NEST_REPORT.json [NEST_REPORT.json ...]
Each peer level is matched with the nearest kept Nest step at or above that compression, over all reports."""
import json, re, sys

DENSE_WEIGHTS = 784 * 300 + 300 * 100 + 100 * 10   # 266,200, as the peer counts
peer_log, reports = open(sys.argv[1]).read(), [json.load(open(p)) for p in sys.argv[2:]]
peer = [(DENSE_WEIGHTS / int(w), float(e)) for w, e in re.findall(r'weights=(\d+) compression=[0-9.]+x error=([0-9.]+)%', peer_log)]
dense = re.search(r'dense: weights=\d+ error=([0-9.]+)%', peer_log)
kept = [(DENSE_WEIGHTS / h['connections'], 100 * h['testErrorReportOnly'])
        for r in reports for h in r['history']
        if h.get('testErrorReportOnly') is not None and h['phase'] in ('prune', 'final') and h['accepted']]
commands = ', '.join(f"`{r.get('command', 'nest synthesize --seed lenet300')}`" for r in reports)

print('# Error against compression: Nest synthesis vs the PyTorch peer (measured here)\n')
print(f"Peer: dense LeNet-300-100 trained 20 epochs with augmentation (test error {dense.group(1) if dense else '?'}%), "
      'then 16 rounds of global magnitude pruning (25%) with 3 fine-tuning epochs each. '
      f'Nest: {commands}, from the 120-40 seed. '
      'Compression = 266,200 dense weights / live weights (biases not counted, as the peer counts).\n')
print('| compression (peer) | peer test error | Nest, nearest kept step at >= that compression | Nest test error | better |')
print('|---|---|---|---|---|')
for c, e in peer:
    above = [(nc, ne) for nc, ne in kept if nc >= c]
    match = min(above, key=lambda x: x[0]) if above else None
    verdict = '' if not match else ('Nest' if match[1] < e else ('level' if match[1] == e else 'peer'))
    print(f"| {c:.1f}x | {e:.2f}% | {f'{match[0]:.1f}x' if match else '(not reached)'} | {f'{match[1]:.2f}%' if match else ''} | {verdict} |")
for r in reports:
    f = r['final']
    print(f"\nNest final (`{r.get('command', '')}`): {DENSE_WEIGHTS / f['connections']:.1f}x ({f['connections']:,} weights), test error {100 * f['testError']:.2f}%.")
