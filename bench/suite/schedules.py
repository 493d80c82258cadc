"""What differs between the schedules of two stored reports, for the generated tables (bench/suite/results.py,
bench/synthesis-time.py)."""

# Settings that belong to a run rather than to the schedule: never reported as a change.
PER_RUN = {'training.augment', 'training.seedValue'}

# Settings a report may lack, with the value the run had: added after some reports were stored (the rule before the
# setting existed), or removed after it was measured not to help (the value every later run has).
IMPLIED = {'growth.patience': 1, 'pruning.retries': 0, 'finalEpochs': 0, 'pruning.averageEpochs': 0, 'pruning.lateEpochs': None,
           'pruning.balanceCost': False, 'pruning.score': 'magnitude',
           'distillation.live': False, 'pruning.costExponent': 0, 'pruning.costFromCompression': None,
           'variational.area': False}

# Settings some reports wrote as an enum's number (a build before the name was written), by number.
NUMBERED = {'pruning.score': ['magnitude', 'lamp']}


def flat(node, prefix=''):
    """A schedule as dotted keys: {'pruning.retries': 1, ...}."""
    if not isinstance(node, dict):
        return {prefix: node}
    return {k: v for key, value in node.items() for k, v in flat(value, f'{prefix}.{key}' if prefix else key).items()}


def named(settings):
    """The settings with every numbered enum value (NUMBERED) replaced by its name."""
    return {k: NUMBERED[k][v] if k in NUMBERED and isinstance(v, int) else v for k, v in settings.items()}


def has_convolutions(report):
    """Whether the report's network has a convolution (a layer with an area density)."""
    return any(layer.get('areaDensity') is not None for layer in report['final']['layers'])


def schedule_change(a, b):
    """The schedule settings in which report b differs from report a, as `key` old -> new; partial-area settings only
    where a network has convolutions (they do nothing to others)."""
    x, y = named(IMPLIED | flat(a['schedule'])), named(IMPLIED | flat(b['schedule']))
    area = has_convolutions(a) or has_convolutions(b)
    return ', '.join(f'`{k}` {x.get(k)} -> {y.get(k)}' for k in sorted(set(x) | set(y))
                     if k not in PER_RUN and x.get(k) != y.get(k) and (area or not k.startswith('area.')))
