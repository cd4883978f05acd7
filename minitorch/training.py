"""The main job: the seed tutorial's training run, on minitorch.

Fashion-MNIST (or MNIST, or CIFAR-10) through the seed's own loop: batches of 4, SGD with
lr 0.001 and momentum 0.9, cross-entropy, 2 epochs, a running loss printed every 2000
mini-batches in the seed's words; then the test accuracy, overall and per class, a
checkpoint (a PyTorch .pth state_dict), a PNG of the loss curve and per-class accuracy, and
TensorBoard logs. `python -m minitorch train --help` lists the flags.

`run` is the job itself, written against the API minitorch shares with torch: the
reference package (`python -m reference train`) calls it with torch and its own net.
"""
import argparse
import math
import os
import time

import numpy as np
from tqdm import tqdm

import minitorch
import minitorch.utils.tensorboard  # noqa: F401  (run() reaches it as lib.utils.tensorboard)
import minitorch.vision.models  # noqa: F401  (datasets, transforms, nets: found by name)
from ._files import atomic_open

# dataset name -> (dataset class name, network name, normalisation mean/std per channel,
# classes). Names, because torchvision and the reference package use the same ones.
DATASETS = {
    "fashion-mnist": ("FashionMNIST", "FashionMNISTNet", (0.5,),
                      ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                       "Shirt", "Sneaker", "Bag", "Ankle Boot")),
    "mnist": ("MNIST", "FashionMNISTNet", (0.5,), tuple(str(d) for d in range(10))),
    "cifar10": ("CIFAR10", "CifarNet", (0.5, 0.5, 0.5),
                ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                 "truck")),
}


def finite_at_least(minimum):
    """An argparse type: a finite number no smaller than `minimum` (a learning rate, a
    momentum: nan or inf would only fail once the run is over)."""
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < minimum:
            raise argparse.ArgumentTypeError(f"expected a finite number >= {minimum:g}, "
                                             f"got {text!r}")
        return value
    return parse


def int_at_least(minimum):
    """An argparse type: a whole number no smaller than `minimum`."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, "
                                             f"got {text!r}")
        return value
    return parse


def parser(prog="python -m minitorch train", description=__doc__, out="runs/<dataset>"):
    p = argparse.ArgumentParser(prog=prog, description=description,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", choices=sorted(DATASETS), default="fashion-mnist")
    p.add_argument("--data", default="./data", help="dataset root (torchvision's layout)")
    p.add_argument("--download", action="store_true", help="download missing dataset files")
    p.add_argument("--epochs", type=int_at_least(1), default=2)
    p.add_argument("--batch-size", type=int_at_least(1), default=4)
    p.add_argument("--lr", type=finite_at_least(0), default=0.001)
    p.add_argument("--momentum", type=finite_at_least(0), default=0.9)
    p.add_argument("--num-workers", type=int_at_least(0), default=2,
                   help="DataLoader worker processes")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int_at_least(1), default=2000,
                   help="mini-batches per loss line")
    p.add_argument("--limit", type=int_at_least(1), default=None,
                   help="use only the first N training and test images (quick runs)")
    p.add_argument("--out", default=None, help=f"output folder (default: {out})")
    return p


def loaders(args, lib=minitorch, vision=minitorch.vision, batch_sampler=None):
    """The seed's data pipeline: ToTensor, Normalize to [-1, 1], shuffled training batches;
    built from `lib` and `vision` (minitorch's, or torch and torchvision). A batch_sampler
    class, given, sets the training batches' order instead of the loader's own shuffle."""
    dataset_name, _, mean, _ = DATASETS[args.dataset]
    dataset_cls = getattr(vision.datasets, dataset_name)
    transform = vision.transforms.Compose([vision.transforms.ToTensor(),
                                           vision.transforms.Normalize(mean, mean)])
    trainset = dataset_cls(args.data, train=True, download=args.download, transform=transform)
    testset = dataset_cls(args.data, train=False, download=args.download, transform=transform)
    data = lib.utils.data
    if args.limit:
        trainset = data.Subset(trainset, range(min(args.limit, len(trainset))))
        testset = data.Subset(testset, range(min(args.limit, len(testset))))
    order = (dict(batch_size=args.batch_size, shuffle=True) if batch_sampler is None
             else dict(batch_sampler=batch_sampler(len(trainset), args.batch_size)))
    trainloader = data.DataLoader(trainset, num_workers=args.num_workers, **order)
    testloader = data.DataLoader(testset, batch_size=args.batch_size, shuffle=False,
                                 num_workers=args.num_workers)
    return trainloader, testloader


def train_epoch(net, loader, criterion, optimizer, epoch, log_every, writer, losses,
                device="cpu"):
    """One pass over the training set, printing the seed's running-loss lines."""
    running_loss = 0.0
    bar = tqdm(loader, desc=f"epoch {epoch + 1}", unit="batch", leave=False)
    for i, (inputs, labels) in enumerate(bar):
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 100 == 99:  # the bar shows the running loss the next printed line will show
            bar.set_postfix(loss=f"{running_loss / (i % log_every + 1):.3f}", refresh=False)
        if i % log_every == log_every - 1:
            mean_loss = running_loss / log_every
            tqdm.write(f"[{epoch + 1}, {i + 1:5d}] loss: {mean_loss:.3f}")
            step = epoch * len(loader) + i + 1
            losses.append((step, mean_loss))
            writer.add_scalar("training loss", mean_loss, step)
            running_loss = 0.0
    bar.close()


def evaluate(net, loader, lib=minitorch, device="cpu"):
    """Predicted and true labels of the whole test set (no gradients needed)."""
    predicted, truth = [], []
    with lib.no_grad():
        for images, labels in tqdm(loader, desc="test", unit="batch", leave=False):
            outputs = net(images.to(device))
            predicted.append(outputs.argmax(1).cpu().numpy())  # the class of highest energy
            truth.append(labels.numpy())
    return np.concatenate(predicted), np.concatenate(truth)


def report(predicted, truth, classes):
    """Print the seed's accuracy lines; return the accuracy and the per-class accuracies
    (in %)."""
    correct, total = int((predicted == truth).sum()), len(truth)
    print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")
    class_accuracy = []
    for c, classname in enumerate(classes):
        in_class = truth == c
        accuracy = 100 * float((predicted[in_class] == c).sum()) / max(in_class.sum(), 1)
        class_accuracy.append(accuracy)
        print(f"Accuracy for class: {classname:5s} is {accuracy:.1f} %")
    return 100 * correct / total, class_accuracy


def pyplot():
    """matplotlib's pyplot, drawing off-screen (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_png(fig, path):
    """Write a matplotlib figure to path as PNG, atomically, and free it."""
    try:
        with atomic_open(path) as f:
            fig.savefig(f, format="png", dpi=100)
    finally:
        pyplot().close(fig)


def plot(path, losses, classes, class_accuracy, title):
    """Loss curve and per-class accuracy side by side, written atomically as PNG."""
    fig, (left, right) = pyplot().subplots(1, 2, figsize=(12, 4.5))
    if losses:
        steps, values = zip(*losses)
        left.plot(steps, values, marker="o")
    left.set(title="running training loss", xlabel="mini-batch", ylabel="loss")
    right.barh(classes, class_accuracy)
    right.set(title="test accuracy per class", xlabel="%", xlim=(0, 100))
    right.invert_yaxis()
    fig.suptitle(title)
    fig.tight_layout()
    save_png(fig, path)


def main(argv=None):
    args = parser().parse_args(argv)
    minitorch.manual_seed(args.seed)
    trainloader, testloader = loaders(args)
    net = getattr(minitorch.vision.models, DATASETS[args.dataset][1])()
    return run(args, minitorch, net, trainloader, testloader)


def run(args, lib, net, trainloader, testloader, device="cpu"):
    """Train `net` with the seed's loss and optimizer from library `lib` (minitorch or
    torch), test it, and write the checkpoint, plot and TensorBoard logs to args.out.
    Returns the test accuracy in %."""
    classes = DATASETS[args.dataset][3]
    engine = lib.__name__ if str(device) == "cpu" else f"{lib.__name__} on {device}"
    out = args.out or os.path.join("runs", args.dataset)
    os.makedirs(out, exist_ok=True)
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=args.lr, momentum=args.momentum)
    print(net)
    losses, epoch_times = [], []
    with lib.utils.tensorboard.SummaryWriter(os.path.join(out, "tensorboard")) as writer:
        for epoch in range(args.epochs):
            start = time.perf_counter()
            train_epoch(net, trainloader, criterion, optimizer, epoch, args.log_every,
                        writer, losses, device)
            epoch_times.append(time.perf_counter() - start)
            print(f"epoch {epoch + 1}: {epoch_times[-1]:.1f} s")
        print("Finished Training")
        checkpoint = os.path.join(out, f"{args.dataset.replace('-', '_')}_net.pth")
        with atomic_open(checkpoint) as f:
            lib.save(net.state_dict(), f)

        predicted, truth = evaluate(net, testloader, lib, device)
        accuracy, class_accuracy = report(predicted, truth, classes)
        writer.add_scalar("test accuracy", accuracy, args.epochs)

    png = os.path.join(out, "training.png")
    plot(png, losses, classes, class_accuracy,
         f"{engine}, {args.dataset}: {accuracy:.2f} % test accuracy, "
         f"{np.mean(epoch_times):.1f} s/epoch")
    print(f"time per epoch: {np.mean(epoch_times):.1f} s; checkpoint: {checkpoint}; "
          f"plot: {png}; TensorBoard logs: {os.path.join(out, 'tensorboard')}")
    return accuracy
