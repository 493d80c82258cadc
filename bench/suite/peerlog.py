"""The PyTorch peer's log (bench/suite/torch_prune.py) read into numbers, for the generated tables
(bench/suite/results.py, bench/synthesis-time.py)."""
import os
import re


def peer(path):
    """The peer's dense error and its (weights-only compression, test error %) per round."""
    if not os.path.exists(path):
        return None
    text = open(path).read()
    dense = re.search(r'dense: weights=(\d+) error=([\d.]+)%', text)
    if not dense:
        return None
    rounds = [(float(c), float(e)) for c, e in re.findall(r'compression=([\d.]+)x error=([\d.]+)%', text)]
    # Seconds from the start to the end of each round: printed by the peer (elapsed_s), or else estimated from the
    # median dense epoch (20 epochs) and the pruning phase's wall time shared equally by its rounds.
    elapsed = [float(t) for t in re.findall(r'elapsed_s=([\d.]+)', text)]
    estimated = False
    wall = re.search(r'prune phase wall_s=([\d.]+)', text)
    epoch = re.search(r'epoch_s\(median\)=([\d.]+)', text)
    if len(elapsed) != len(rounds) and wall and epoch and rounds:
        dense_s = 20 * float(epoch.group(1))
        elapsed = [dense_s + float(wall.group(1)) * (i + 1) / len(rounds) for i in range(len(rounds))]
        estimated = True
    return {'weights': int(dense.group(1)), 'error': float(dense.group(2)), 'rounds': rounds,
            'elapsed': elapsed if len(elapsed) == len(rounds) else [], 'estimated': estimated}


def peer_minutes_to(p, compression):
    """Minutes the peer took to first reach `compression` (weights only), or None when it never did."""
    for (c, _), t in zip(p['rounds'], p['elapsed']):
        if c >= compression:
            return t / 60
    return None
