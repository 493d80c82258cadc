#!/usr/bin/env python3
"""Compares the pruning curves of synthesis reports: for each compression level, the test error of
each report's nearest kept step at or above it (recorded for the report, never used for a decision).

usage: python3 bench/curve-compare.py A.json B.json [...]   (prints a Markdown table)
Compression is in parameters (weights plus biases) against the dense reference, as in report.json.
Differences under ~0.15% are within the run-to-run spread measured on these seeds (one run each).
"""
import json, os, sys

LEVELS = [2, 3, 5, 8, 12, 16, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100, 120]


def kept_steps(report):
    reference = report['reference']['parameters']
    return [(reference / h['parameters'], h['testErrorReportOnly'], h['flops'])
            for h in report['history']
            if h['phase'] == 'prune' and h['accepted'] and h.get('testErrorReportOnly') is not None]


def main(paths):
    if len(paths) < 2:
        sys.exit(__doc__)
    reports = [json.load(open(p)) for p in paths]
    seeds = {r['seed'] for r in reports}
    if len(seeds) != 1:
        sys.exit(f"reports of different seeds: {', '.join(sorted(seeds))}")
    curves = [kept_steps(r) for r in reports]
    reference_flops = reports[0]['reference']['flops']
    names = [os.path.basename(p).removesuffix('.json') for p in paths]
    print('| compression >= | ' + ' | '.join(names) + ' |')
    print('|---|' + '---|' * len(names))
    for level in LEVELS:
        cells = []
        for curve in curves:
            at = [s for s in curve if s[0] >= level]
            if not at:
                cells.append('')
                continue
            c, test, flops = min(at, key=lambda s: s[0])
            cells.append(f"{100 * test:.2f}% ({c:.1f}x, {reference_flops / flops:.1f}x FLOPs)")
        if any(cells):
            print(f"| {level}x | " + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main(sys.argv[1:])
