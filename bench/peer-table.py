#!/usr/bin/env python3
"""Error against compression: Nest synthesis reports and a peer log -> markdown table.
usage: peer-table.py PEER_LOG NEST_REPORT.json [NEST_REPORT.json ...]
Each peer level is matched with the nearest kept Nest step at or above that compression, over all reports."""
import json, math, re, sys

TEST_IMAGES = 10_000


def standard_error(a, b):
    """Standard error (in %) of the difference of two test error rates a, b (in %) measured on
    different networks over the same 10,000 images, treated as independent (an upper bound: the
    paired error, which needs both networks' predictions, is smaller)."""
    pa, pb = a / 100, b / 100
    return 100 * math.sqrt((pa * (1 - pa) + pb * (1 - pb)) / TEST_IMAGES)

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
print('| compression (peer) | peer test error | Nest, nearest kept step at >= that compression | Nest test error | better | difference / its standard error |')
print('|---|---|---|---|---|---|')
for c, e in peer:
    above = [(nc, ne) for nc, ne in kept if nc >= c]
    match = min(above, key=lambda x: x[0]) if above else None
    verdict = '' if not match else ('Nest' if match[1] < e else ('level' if match[1] == e else 'peer'))
    z = f"{(e - match[1]) / standard_error(e, match[1]):+.1f}" if match else ''
    print(f"| {c:.1f}x | {e:.2f}% | {f'{match[0]:.1f}x' if match else '(not reached)'} | {f'{match[1]:.2f}%' if match else ''} | {verdict} | {z} |")
print('\nThe last column is (peer - Nest) / the standard error of that difference on 10,000 test images '
      '(independent errors assumed: an upper bound): within +-2 the two are not told apart by this test set.')
for r in reports:
    f = r['final']
    print(f"\nNest final (`{r.get('command', '')}`): {DENSE_WEIGHTS / f['connections']:.1f}x ({f['connections']:,} weights), test error {100 * f['testError']:.2f}%.")
