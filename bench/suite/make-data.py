#!/usr/bin/env python3
"""The generalization suite's data sets, written as IDX folders (MNIST's file names) from MNIST and a generator.

usage: make-data.py MNIST_DIR OUT_DIR

  permuted   MNIST with one fixed pixel permutation (seed 0): distortions and locality stop helping
  small      MNIST with its first 6,000 training images (test set whole)
  noisy      MNIST with 10% of its training labels replaced by another class at random (test labels clean)
  tabular    a synthetic 10-class task of 64 features (8x8 bytes): each class a mixture of two Gaussians in a random
             16-dimensional subspace plus 48 noise features; 20,000 training and 10,000 test examples
  rotated    MNIST with every image (training and test) turned by its own uniform random angle, as Larochelle et
             al.'s mnist-rot (2007): another image task, at about six times MNIST's error
Everything is seeded: the same command writes the same bytes.
"""
import os, struct, sys
import numpy as np


def read(path):
    with open(path, 'rb') as f:
        magic = struct.unpack('>I', f.read(4))[0]
        dims = struct.unpack('>' + 'I' * (magic & 0xff), f.read(4 * (magic & 0xff)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def write(path, array):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, 'wb') as f:
        f.write(struct.pack('>I', 0x0800 | array.ndim))
        f.write(struct.pack('>' + 'I' * array.ndim, *array.shape))
        f.write(array.tobytes())


NAMES = ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')


def save(out, name, xtr, ytr, xte, yte):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    for file, array in zip(NAMES, (xtr, ytr, xte, yte)):
        write(os.path.join(folder, file), array)
    print(f'{folder}: {len(xtr)} train, {len(xte)} test, images {xtr.shape[1:]}')


def tabular(rng, n_train=20000, n_test=10000, classes=10, features=64, informative=16):
    basis = np.linalg.qr(rng.normal(size=(features, informative)))[0]          # a random 16-dimensional subspace
    centres = rng.normal(scale=1.6, size=(classes, 2, informative))            # two clusters per class
    def sample(n):
        y = rng.integers(0, classes, n)
        c = centres[y, rng.integers(0, 2, n)]
        z = c + rng.normal(size=(n, informative))
        x = z @ basis.T + 0.5 * rng.normal(size=(n, features))
        return x, y
    xtr, ytr = sample(n_train)
    xte, yte = sample(n_test)
    lo, hi = np.percentile(xtr, 0.5), np.percentile(xtr, 99.5)                # bytes, as IDX holds them
    q = lambda x: np.clip(np.round((x - lo) / (hi - lo) * 255), 0, 255).astype(np.uint8).reshape(-1, 8, 8)
    return q(xtr), ytr.astype(np.uint8), q(xte), yte.astype(np.uint8)


def rotate(rng, x):
    # Bilinear, about the image's centre; what falls outside reads 0 (the background).
    n, h, w = x.shape
    angles = rng.uniform(0, 2 * np.pi, n)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    yy, xx = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing='ij')
    out = np.empty_like(x)
    for start in range(0, n, 5000):
        a = angles[start:start + 5000, None, None]
        sy = np.cos(a) * yy - np.sin(a) * xx + cy                            # where each output pixel reads from
        sx = np.sin(a) * yy + np.cos(a) * xx + cx
        y0, x0 = np.floor(sy).astype(int), np.floor(sx).astype(int)
        fy, fx = sy - y0, sx - x0
        img = np.pad(x[start:start + 5000].astype(np.float64), ((0, 0), (1, 2), (1, 2)))
        k = np.arange(len(a))[:, None, None]
        at = lambda dy, dx: img[k, np.clip(y0 + dy + 1, 0, h + 2), np.clip(x0 + dx + 1, 0, w + 2)]
        v = (at(0, 0) * (1 - fy) * (1 - fx) + at(0, 1) * (1 - fy) * fx
             + at(1, 0) * fy * (1 - fx) + at(1, 1) * fy * fx)
        out[start:start + 5000] = np.clip(np.round(v), 0, 255).astype(np.uint8)
    return out


def main():
    mnist, out = sys.argv[1], sys.argv[2]
    xtr, ytr, xte, yte = (read(os.path.join(mnist, n)) for n in NAMES)
    rng = np.random.default_rng(0)
    perm = rng.permutation(784)
    p = lambda x: x.reshape(-1, 784)[:, perm].reshape(-1, 28, 28)
    save(out, 'permuted', p(xtr), ytr, p(xte), yte)
    save(out, 'small', xtr[:6000], ytr[:6000], xte, yte)
    rng = np.random.default_rng(1)
    flip = rng.random(len(ytr)) < 0.10
    noisy = ytr.copy()
    noisy[flip] = (ytr[flip] + rng.integers(1, 10, flip.sum())) % 10
    save(out, 'noisy', xtr, noisy, xte, yte)
    save(out, 'tabular', *tabular(np.random.default_rng(2)))
    rng = np.random.default_rng(3)
    save(out, 'rotated', rotate(rng, xtr), ytr, rotate(rng, xte), yte)


if __name__ == '__main__':
    main()
