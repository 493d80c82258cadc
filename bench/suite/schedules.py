"""What differs between the schedules of two stored reports, for the generated tables (bench/suite/results.py,
bench/synthesis-time.py)."""

# Settings that belong to a run rather than to the schedule: never reported as a change.
PER_RUN = {'training.augment', 'training.seedValue'}


def flat(node, prefix=''):
    """A schedule as dotted keys: {'pruning.retries': 1, ...}."""
    if not isinstance(node, dict):
        return {prefix: node}
    return {k: v for key, value in node.items() for k, v in flat(value, f'{prefix}.{key}' if prefix else key).items()}


def schedule_change(a, b):
    """The schedule settings in which report b differs from report a, as `key` old -> new."""
    x, y = flat(a['schedule']), flat(b['schedule'])
    return ', '.join(f'`{k}` {x.get(k)} -> {y.get(k)}' for k in sorted(set(x) | set(y))
                     if k not in PER_RUN and x.get(k) != y.get(k))
