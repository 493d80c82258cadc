#!/usr/bin/env python3
"""Peer baseline: what a user would pick instead of NeST (a copy of ../shared/peers/torch_prune_lenet300.py that
reads any IDX folder: input size and classes from the files, standardized with the training images' own mean and
deviation, and --seed for the seed of its weights and batches; otherwise unchanged).

Dense LeNet-300-100 on MNIST in PyTorch (SGD, cosine learning rate), then Han-style iterative global
magnitude pruning with torch.nn.utils.prune and fine-tuning between rounds.
Prints epoch time (for a side-by-side speed ratio) and, per round, the
remaining weights, compression and test error (for a quality comparison).

usage: torch_prune_lenet300.py MNIST_DIR [--epochs 20] [--rounds 16] [--rate 0.25] [--finetune 3] [--augment]
       [--hidden 300,100]   (any perceptron: the hidden widths, input 784, 10 classes)
       [--lenet5]           (Caffe's LeNet-5 instead, 20-50-500, on 28x28 images)
       [--threeconv]        (Nest's ThreeConv seed's dense reference instead: 3x3 convolutions 16-32-64, 128 units)
"""
import argparse, struct, time, sys
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torch.nn.utils.prune as prune


def idx(path):
    with open(path, 'rb') as f:
        magic = struct.unpack('>I', f.read(4))[0]
        nd = magic & 0xff
        dims = struct.unpack('>' + 'I' * nd, f.read(4 * nd))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def load(d):
    xtr = idx(f'{d}/train-images-idx3-ubyte')
    features = int(np.prod(xtr.shape[1:]))
    xtr = xtr.reshape(-1, features).astype(np.float32) / 255.0
    ytr = idx(f'{d}/train-labels-idx1-ubyte').astype(np.int64)
    xte = idx(f'{d}/t10k-images-idx3-ubyte').reshape(-1, features).astype(np.float32) / 255.0
    yte = idx(f'{d}/t10k-labels-idx1-ubyte').astype(np.int64)
    m, s = float(xtr.mean()), float(xtr.std())
    return (torch.from_numpy((xtr - m) / s), torch.from_numpy(ytr),
            torch.from_numpy((xte - m) / s), torch.from_numpy(yte))


class Perceptron(nn.Module):
    """LeNet-300-100 by default; any hidden widths with --hidden."""
    def __init__(self, hidden=(300, 100), inputs=784, classes=10):
        super().__init__()
        widths = [inputs, *hidden, classes]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)


class LeNet5(nn.Module):
    """Caffe's LeNet-5 (431,080 parameters), as Nest's LeNet5 seed's dense reference; reads flat 28x28 images."""
    def __init__(self, classes=10):
        super().__init__()
        self.layers = nn.ModuleList([nn.Conv2d(1, 20, 5), nn.Conv2d(20, 50, 5), nn.Linear(800, 500), nn.Linear(500, classes)])

    def forward(self, x):
        # ReLU after each convolution too, as Nest's seeds have it.
        x = F.max_pool2d(F.relu(self.layers[0](x.view(-1, 1, 28, 28))), 2)
        x = F.max_pool2d(F.relu(self.layers[1](x)), 2).flatten(1)
        return self.layers[3](F.relu(self.layers[2](x)))


class ThreeConv(nn.Module):
    """Nest's ThreeConv seed's dense reference (155,786 parameters): conv 16, pool, conv 32, conv 64, pool, 128."""
    def __init__(self, classes=10):
        super().__init__()
        self.layers = nn.ModuleList([nn.Conv2d(1, 16, 3), nn.Conv2d(16, 32, 3), nn.Conv2d(32, 64, 3),
                                     nn.Linear(1024, 128), nn.Linear(128, classes)])

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.layers[0](x.view(-1, 1, 28, 28))), 2)
        x = F.relu(self.layers[1](x))
        x = F.max_pool2d(F.relu(self.layers[2](x)), 2).flatten(1)
        return self.layers[4](F.relu(self.layers[3](x)))


def distort(x):
    """Small random affine distortions (rotation +-10 deg, scale 0.9-1.1, shift +-2 px)."""
    n = len(x)
    ang = (torch.rand(n) * 2 - 1) * 0.1745
    sc = 0.9 + torch.rand(n) * 0.2
    tx, ty = [(torch.rand(n) * 2 - 1) * (2 / 14) for _ in range(2)]
    theta = torch.stack([torch.stack([sc * ang.cos(), -sc * ang.sin(), tx], 1),
                         torch.stack([sc * ang.sin(), sc * ang.cos(), ty], 1)], 1)
    img = x.view(n, 1, 28, 28)
    grid = F.affine_grid(theta, img.shape, align_corners=False)
    bg = img.amin()  # normalised background value
    return (F.grid_sample(img - bg, grid, align_corners=False) + bg).view(n, 784)


def epoch(model, opt, x, y, bs=128, augment=False):
    model.train()
    perm = torch.randperm(len(x))
    t = time.perf_counter()
    for i in range(0, len(x), bs):
        b = perm[i:i + bs]
        xb = distort(x[b]) if augment else x[b]
        opt.zero_grad()
        F.cross_entropy(model(xb), y[b]).backward()
        opt.step()
    return time.perf_counter() - t


@torch.no_grad()
def error(model, x, y):
    model.eval()
    return sum(int((model(x[i:i + 1000]).argmax(1) != y[i:i + 1000]).sum()) for i in range(0, len(x), 1000)) / len(x) * 100


def nonzero(model):
    return sum(int((m.weight != 0).sum()) for m in model.layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mnist')
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--rounds', type=int, default=16)
    ap.add_argument('--rate', type=float, default=0.25)
    ap.add_argument('--finetune', type=int, default=3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--augment', action='store_true', help='random affine distortions while training')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--hidden', default='300,100', help='hidden widths of the perceptron, comma-separated')
    ap.add_argument('--lenet5', action='store_true', help="Caffe's LeNet-5 instead of a perceptron")
    ap.add_argument('--threeconv', action='store_true', help="Nest's ThreeConv seed's dense reference instead")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr, xte, yte = load(a.mnist)
    classes = int(max(ytr.max(), yte.max())) + 1
    hidden = tuple(int(w) for w in a.hidden.split(','))
    model = LeNet5(classes) if a.lenet5 else ThreeConv(classes) if a.threeconv else Perceptron(hidden, xtr.shape[1], classes)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, a.epochs))
    times = []
    start = time.perf_counter()
    for e in range(a.epochs):
        times.append(epoch(model, opt, xtr, ytr, augment=a.augment))
        sched.step()
    dense = nonzero(model)
    print(f'dense: weights={dense} error={error(model, xte, yte):.2f}% epoch_s(median)={sorted(times)[len(times)//2]:.2f}')
    params = [(m, 'weight') for m in model.layers]
    t0 = time.perf_counter()
    for r in range(a.rounds):
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=a.rate)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        for _ in range(a.finetune):
            epoch(model, opt, xtr, ytr, augment=a.augment)
        nz = nonzero(model)
        print(f'round {r+1}: weights={nz} compression={dense/nz:.1f}x error={error(model, xte, yte):.2f}% '
              f'elapsed_s={time.perf_counter()-start:.1f}', flush=True)
    print(f'prune phase wall_s={time.perf_counter()-t0:.1f}')


if __name__ == '__main__':
    main()
