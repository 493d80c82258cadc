"""A Nest compact export in PyTorch: the network of compact.json with the tensors of compact.pth.

    from compact import Compact
    model = Compact("path/to/export")          # the folder nest export wrote
    logits = model(images)                     # images scaled as compact.json says: (pixel / 255 - InputMean) / InputStd

Run as a script, it reports the test error on MNIST's test set (the t10k IDX files in MNIST_DIR):

    python3 compact.py EXPORT_DIR MNIST_DIR
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

ACTIVATIONS = {
    "Relu": F.relu,
    "Tanh": torch.tanh,
    "Sigmoid": torch.sigmoid,
    "LeakyRelu": lambda x: F.leaky_relu(x, 0.01),
}


class Compact(torch.nn.Module):
    def __init__(self, folder):
        super().__init__()
        with open(os.path.join(folder, "compact.json")) as f:
            spec = json.load(f)
        self.input_shape = spec["inputShape"]
        self.input_mean, self.input_std = spec["InputMean"], spec["InputStd"]
        self.layers = spec["layers"]
        # The state_dict names are layer.tensor (fc1.weight, conv2.area_mask, fc1.input_index).
        self.tensors = torch.load(os.path.join(folder, "compact.pth"))

    def tensor(self, layer, name):
        return self.tensors.get(layer["name"] + "." + name)

    @torch.no_grad()
    def forward(self, x):
        x = x.reshape(-1, *self.input_shape)
        for layer in self.layers:
            kind = layer["kind"]
            if kind == "Dense":
                index = self.tensor(layer, "input_index")
                if index is not None:
                    x = x.index_select(1, index)
                x = F.linear(x, self.tensor(layer, "weight"), self.tensor(layer, "bias"))
            elif kind == "Conv2d":
                weight, bias, area = self.tensor(layer, "weight"), self.tensor(layer, "bias"), self.tensor(layer, "area_mask")
                stride, padding = layer["stride"], layer["padding"]
                if area is None:
                    x = F.conv2d(x, weight, bias, stride, padding)
                else:
                    # As Nest computes it: the convolution without bias, times the area mask, plus the bias.
                    if area.shape[1] == 1:
                        y = F.conv2d(x, weight, None, stride, padding) * area.squeeze(1)
                    else:
                        y = sum(F.conv2d(x[:, i:i + 1], weight[:, i:i + 1], None, stride, padding) * area[:, i]
                                for i in range(area.shape[1]))
                    x = y if bias is None else y + bias.reshape(1, -1, 1, 1)
            elif kind == "MaxPool2d":
                x = F.max_pool2d(x, layer["kernel"], layer["stride"])
            elif kind == "Flatten":
                x = x.flatten(1)
            x = ACTIVATIONS.get(layer["activation"], lambda v: v)(x)
        return x


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


if __name__ == "__main__":
    export, mnist = sys.argv[1], sys.argv[2]
    model = Compact(export)
    images = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte")).float()
    labels = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")).long()
    inputs = (images / 255 - model.input_mean) / model.input_std
    predictions = model(inputs).argmax(1)
    wrong = int((predictions != labels).sum())
    print(f"PyTorch {torch.__version__}: test error {100 * wrong / len(labels):.2f}% ({wrong} of {len(labels)} wrong)")
