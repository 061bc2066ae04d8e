"""The bare training loop of `mnist bench` in PyTorch: the peer a .NET developer would compare with.

Reads normalized images (float32, N x 784) and labels (int64) written by the benchmark, trains the
network in its textbook layer order on pre-sliced batches after a warm-up, and prints one JSON line.
"""
import argparse, json, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--images", required=True)
p.add_argument("--labels", required=True)
p.add_argument("--count", type=int, required=True)
p.add_argument("--network", choices=["seed", "default", "wide"], required=True)
p.add_argument("--batch-size", type=int, default=128)
p.add_argument("--lr", type=float, required=True)
p.add_argument("--weight-decay", type=float, default=0.0)
p.add_argument("--label-smoothing", type=float, default=0.0)
p.add_argument("--threads", type=int, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--channels-last", action="store_true")
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def batch_norm_cnn(c1, c2, c3):
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*block(1, c1), nn.MaxPool2d(2), *block(c1, c2), nn.MaxPool2d(2),
                         *block(c2, c3), *block(c3, c3), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.1), nn.Linear(c3 * 9, 10))


networks = {
    "seed": lambda: nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10)),
    "default": lambda: batch_norm_cnn(16, 32, 64),
    "wide": lambda: batch_norm_cnn(32, 64, 128),
}
model = networks[a.network]().train()
x = torch.from_numpy(np.fromfile(a.images, dtype=np.float32, count=a.count * 784).reshape(a.count, 1, 28, 28))
y = torch.from_numpy(np.fromfile(a.labels, dtype=np.int64, count=a.count))
if a.channels_last:
    model = model.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)
optimizer = (torch.optim.AdamW(model.parameters(), a.lr, weight_decay=a.weight_decay) if a.weight_decay > 0
             else torch.optim.Adam(model.parameters(), a.lr))

batches = a.count // a.batch_size
start = None
for b in range(-5, batches):
    if b == 0:
        start = time.perf_counter()
    i = max(b, 0) * a.batch_size
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x[i:i + a.batch_size]), y[i:i + a.batch_size], label_smoothing=a.label_smoothing)
    loss.backward()
    optimizer.step()
seconds = time.perf_counter() - start
print(json.dumps({"imagesPerSecond": batches * a.batch_size / seconds, "torch": torch.__version__}))
