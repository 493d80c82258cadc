#!/usr/bin/env python3
"""Where a synthesis report's parameters and FLOPs lie, step by step: for each history entry, its
validation and test error and each layer's live connections, FLOPs and (partial-area convolutions)
live area fraction.

usage: python3 bench/layer-costs.py report.json [--kept]   (prints a Markdown table)
--kept leaves out the steps that were undone. FLOPs are 2 x multiply-accumulates of live connections
on live area positions, as in report.json; the test error is recorded for the report, never used for
a decision.
"""
import json, sys


def percent(x):
    return '' if x is None else f'{100 * x:.2f}%'


def main(args):
    paths = [a for a in args if not a.startswith('--')]
    if len(paths) != 1 or any(a not in ('--kept',) for a in args if a.startswith('--')):
        sys.exit(__doc__)
    report = json.load(open(paths[0]))
    history = [h for h in report['history'] if h.get('layers') and (h['accepted'] or '--kept' not in args)]
    if not history:
        sys.exit(f"{paths[0]}: no history entry with per-layer costs")
    names = [l['name'] for l in history[0]['layers']]
    reference = report['reference']
    print('| step | phase | kept | parameters | FLOPs | validation | test | '
          + ' | '.join(f'{n} weights / FLOPs' for n in names) + ' |')
    print('|' + '---|' * (7 + len(names)))
    for h in history:
        layers = {l['name']: l for l in h['layers']}
        cells = []
        for n in names:
            l = layers.get(n)
            if l is None:
                cells.append('')
                continue
            area = f" ({100 * l['areaDensity']:.0f}% area)" if l.get('areaDensity') is not None else ''
            cells.append(f"{l['connections']:,} / {l['flops']:,}{area}")
        print(f"| {h['step']} | {h['phase']} | {'yes' if h['accepted'] else 'no'} "
              f"| {h['parameters']:,} ({reference['parameters'] / h['parameters']:.1f}x) "
              f"| {h['flops']:,} ({reference['flops'] / h['flops']:.1f}x) "
              f"| {percent(h['validationError'])} | {percent(h.get('testErrorReportOnly'))} | " + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main(sys.argv[1:])
