"""What differs between the schedules of two stored reports, for the generated tables (bench/suite/results.py,
bench/synthesis-time.py)."""

# Settings that belong to a run rather than to the schedule: never reported as a change.
PER_RUN = {'training.augment', 'training.seedValue'}

# Settings added after some reports were stored, with the value those runs had (the rule before the setting existed).
BEFORE = {'growth.patience': 1}


def flat(node, prefix=''):
    """A schedule as dotted keys: {'pruning.retries': 1, ...}."""
    if not isinstance(node, dict):
        return {prefix: node}
    return {k: v for key, value in node.items() for k, v in flat(value, f'{prefix}.{key}' if prefix else key).items()}


def schedule_change(a, b):
    """The schedule settings in which report b differs from report a, as `key` old -> new."""
    x, y = BEFORE | flat(a['schedule']), BEFORE | flat(b['schedule'])
    return ', '.join(f'`{k}` {x.get(k)} -> {y.get(k)}' for k in sorted(set(x) | set(y))
                     if k not in PER_RUN and x.get(k) != y.get(k))
