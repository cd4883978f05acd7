"""The main job: the seed tutorial's training run, on minitorch.

Fashion-MNIST (or MNIST, or CIFAR-10) through the seed's own loop: batches of 4, SGD with
lr 0.001 and momentum 0.9, cross-entropy, 2 epochs, a running loss printed every 2000
mini-batches in the seed's words; then the test accuracy, overall and per class. Each run
writes into a folder of its own: the weights (a PyTorch .pth state_dict), a checkpoint to
resume from, a PNG of the loss curve and accuracies, and TensorBoard logs of what the
seed's TensorBoard section shows. `python -m minitorch train --help` lists the flags.

`run` is the job itself, written against the API minitorch shares with torch: the
reference package (`python -m reference train`) calls it with torch and its own net.
matplotlib and TensorBoard are imported only when first used: `import minitorch` (and
`--help`) stays quick.
"""
import argparse
import contextlib
import itertools
import math
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import warnings
from datetime import datetime

import numpy as np
from tqdm import tqdm

import minitorch
import minitorch.vision.models  # noqa: F401  (datasets, transforms, nets: found by name)
from ._files import atomic_open
from .summary import summary

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

DESCRIPTION = """\
Train the LeNet of PyTorch's 60-minute blitz on Fashion-MNIST (or MNIST, or CIFAR-10)
and test it, as the tutorial does: batches of 4, SGD with momentum, cross-entropy loss.

Each run writes into a new folder, runs/<dataset>/<Mon01_12-00-00>_<hostname>/ (or
--out): the weights (<dataset>_net.pth, a state_dict torch loads), checkpoint.pth (to
continue with --resume), training.png, and TensorBoard logs (tensorboard --logdir runs).
Ctrl-C stops at the end of the current mini-batch and saves checkpoint.pth."""

CHECKPOINT = "checkpoint.pth"
# The flags that make a run what it is: a resumed run keeps them. It also takes --epochs
# (which may grow) and --data from the checkpoint unless the command line gives them.
RUN_FLAGS = ("dataset", "batch_size", "lr", "momentum", "seed", "limit", "log_every")
SAVED_FLAGS = RUN_FLAGS + ("epochs", "data")
INTERRUPTED = 130   # the exit status shells give a program stopped by Ctrl-C (128 + SIGINT)


# ---- the command line ------------------------------------------------------------------------

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
    return int_between(minimum, None)


def int_between(minimum, maximum):
    """An argparse type: a whole number in [minimum, maximum] (no upper end when None)."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            expected = (f">= {minimum}" if maximum is None
                        else f"between {minimum} and {maximum}")
            raise argparse.ArgumentTypeError(f"expected a whole number {expected}, "
                                             f"got {text!r}")
        return value
    return parse


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter,
                    argparse.RawDescriptionHelpFormatter):
    """--help: every flag's default (argparse's own "(default: ...)"), except where the
    help text says it in words; the description's line breaks kept."""

    def _get_help_string(self, action):
        if action.default is None or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def parser(prog="python -m minitorch train", description=DESCRIPTION, out="runs/<dataset>"):
    p = argparse.ArgumentParser(prog=prog, description=description,
                                formatter_class=HelpFormatter)
    p.add_argument("--dataset", choices=sorted(DATASETS), default="fashion-mnist",
                   help="what to train on")
    p.add_argument("--data", default="./data",
                   help="dataset folder, in torchvision's layout (Fashion-MNIST is also "
                        "found in /usr/share/datasets/fashion-mnist)")
    p.add_argument("--download", action="store_true", help="download missing dataset files")
    p.add_argument("--epochs", type=int_at_least(1), default=2, help="passes over the data")
    p.add_argument("--batch-size", type=int_at_least(1), default=4, help="images per step")
    p.add_argument("--lr", type=finite_at_least(0), default=0.001, help="SGD learning rate")
    p.add_argument("--momentum", type=finite_at_least(0), default=0.9, help="SGD momentum")
    p.add_argument("--num-workers", type=int_at_least(0), default=2,
                   help="DataLoader worker processes")
    p.add_argument("--seed", type=int_between(-2**63, 2**64 - 1), default=0,
                   help="seed of the random stream (initial weights, batch order)")
    p.add_argument("--log-every", type=int_at_least(1), default=2000,
                   help="mini-batches per loss line")
    p.add_argument("--limit", type=int_at_least(1), default=None,
                   help="use only the first N training and test images, for quick runs "
                        "(default: all)")
    p.add_argument("--out", default=None, metavar="FOLDER",
                   help=f"the run's folder (default: a new {out}/<Mon01_12-00-00>_<hostname>)")
    p.add_argument("--resume", default=None, metavar="CHECKPOINT",
                   help="continue the run that wrote this checkpoint.pth, in its folder, "
                        "with its settings; --epochs may raise the total (default: none, "
                        "a new run)")
    p.add_argument("--version", action="version", version=f"minitorch {minitorch.__version__}")
    p.set_defaults(prog=prog)   # for the one-line errors of run()
    return p


def main(argv=None):
    """`python -m minitorch train`: the flags, the data, the seed's net, then run()."""
    p = parser()
    args = p.parse_args(argv)
    if args.resume:
        keep_checkpoint_settings(args, p, argv)
    made = prepare_out(args)               # before the data: a bad --out fails at once
    minitorch.manual_seed(args.seed)
    try:
        trainloader, testloader = loaders(args)
    except (RuntimeError, OSError, KeyboardInterrupt) as e:
        if made:                           # leave no empty run folder behind
            with contextlib.suppress(OSError):
                os.rmdir(args.out)
        if isinstance(e, KeyboardInterrupt):
            stop(INTERRUPTED, "Interrupted while loading the data; nothing was trained")
        # no dataset, a bad file, no network to download: the dataset's words, for flags
        fail(args, str(e).replace("download=True", "--download"))
    net = getattr(minitorch.vision.models, DATASETS[args.dataset][1])()
    return run(args, minitorch, net, trainloader, testloader)


def fail(args, message):
    """Stop with one line on stderr and exit status 1: a problem with what the user gave
    (a flag, a file, a folder), not a bug, so no traceback."""
    one_line = "; ".join(line.strip() for line in str(message).splitlines() if line.strip())
    raise SystemExit(f"{getattr(args, 'prog', 'minitorch train')}: error: {one_line}")


def stop(status, message):
    """Print one line on stderr and exit with `status`."""
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(status)


def given_flags(p, argv):
    """The flags argv sets itself, by name (argparse fills in the others' defaults; this
    parse, with every default suppressed, does not)."""
    quiet = parser(p.prog, p.description)
    for action in quiet._actions:
        action.default = argparse.SUPPRESS
    return vars(quiet.parse_args(argv))


def keep_checkpoint_settings(args, p, argv):
    """A resumed run goes on with the settings it began with: take them from the
    checkpoint. A flag given on the command line must agree (another batch size or
    dataset would be another run); --epochs may raise the total, --data may move."""
    settings = read_checkpoint(args, minitorch)["settings"]
    given = given_flags(p, argv)
    for name in SAVED_FLAGS:
        if name in given and name in RUN_FLAGS and given[name] != settings[name]:
            flag = "--" + name.replace("_", "-")
            fail(args, f"{flag} {given[name]} differs from {settings[name]}, the value the "
                       f"run in {args.resume} began with; leave {flag} out to resume it")
        if name not in given and name in settings:
            setattr(args, name, settings[name])


# ---- the run's folder ------------------------------------------------------------------------

def new_run_folder(root):
    """Make and return root/Dec02_18-30-00_<hostname>: the name torch's SummaryWriter gives
    a run's folder (when it started, and where), so each run has its own; _1, _2... if
    another run took it (made here, not only named: two runs starting together cannot
    both take one)."""
    name = datetime.now().strftime("%b%d_%H-%M-%S") + "_" + socket.gethostname()
    os.makedirs(root, exist_ok=True)
    for n in itertools.count():
        path = os.path.join(root, name if n == 0 else f"{name}_{n}")
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue


def prepare_out(args):
    """Settle args.out, the run's folder, and check that it can be written, before any
    work: a new folder unless --out names one; for --resume, the checkpoint's folder. A
    folder that already holds files is refused (two runs never mix), except the folder of
    the run being resumed. Returns whether the folder was made here."""
    if args.out is None and args.resume:
        args.out = os.path.dirname(args.resume) or "."
    if args.out is not None and os.path.exists(args.out) and not os.path.isdir(args.out):
        fail(args, f"--out {args.out} is a file, not a folder")
    made = args.out is None or not os.path.exists(args.out)
    try:
        if args.out is None:
            args.out = new_run_folder(os.path.join("runs", args.dataset))
        os.makedirs(args.out, exist_ok=True)
        with tempfile.TemporaryFile(dir=args.out):
            pass
    except OSError as e:
        fail(args, f"cannot write to --out {args.out or 'runs/' + args.dataset}: "
                   f"{e.strerror or e}")
    resume_folder = os.path.dirname(args.resume) or "." if args.resume else None
    resuming_here = (resume_folder is not None and os.path.isdir(resume_folder)
                     and os.path.samefile(args.out, resume_folder))
    if os.listdir(args.out) and not resuming_here:
        fail(args, f"--out {args.out} already holds files (an earlier run's?); choose a new "
                   f"folder, or leave --out out for a new one under runs/")
    return made


# ---- data ------------------------------------------------------------------------------------

def loaders(args, lib=minitorch, vision=minitorch.vision, batch_sampler=None):
    """The seed's data pipeline: ToTensor, Normalize to [-1, 1], shuffled training batches;
    built from `lib` and `vision` (minitorch's, or torch and torchvision). A batch_sampler
    class, given, sets the training batches' order instead of the loader's own shuffle.
    The test loader draws from a generator of its own, so testing after each epoch leaves
    the global stream, and with it the next epoch's shuffle, as it was."""
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
                                 num_workers=args.num_workers, generator=lib.Generator())
    return trainloader, testloader


class SkipFirst:
    """A batch sampler: another one's batches but the first `count`. Iterating it
    iterates the other in full (its shuffle draws what it always draws) without loading
    the images of the batches skipped."""

    def __init__(self, batch_sampler, count):
        self.batch_sampler, self.count = batch_sampler, count

    def __iter__(self):
        for i, batch in enumerate(self.batch_sampler):
            if i >= self.count:
                yield batch

    def __len__(self):
        return len(self.batch_sampler) - self.count


def first_images(dataset, n, lib):
    """The first n images of a dataset as one batch, and their labels: the pictures the
    TensorBoard logs and the summary use. (The seed takes next(iter(trainloader)), which
    would draw a shuffle and change a seeded run's batch order.)"""
    items = [dataset[i] for i in range(min(n, len(dataset)))]
    return lib.stack([image for image, _ in items]), [int(label) for _, label in items]


# ---- where training stands: progress, random state, checkpoints ------------------------------

class Progress:
    """Where training stands and what it measured so far: with the model's and the
    optimizer's state dicts, all a checkpoint holds."""

    def __init__(self):
        self.epoch = 0               # the epoch under way, from 0
        self.step = 0                # its mini-batches done
        self.running_loss = 0.0      # summed since the last loss line
        self.losses = []             # [global step, mean loss] per loss line
        self.accuracies = []         # [global step, test accuracy in %] per epoch
        self.epoch_seconds = []      # training time of each finished epoch
        self.seconds = 0.0           # ... and of the epoch under way, so far
        self.rng_at_epoch_start = None   # the global stream when this epoch's shuffle drew
        self.rng_now = None          # where it stands (set only while resuming)

    def global_step(self, per_epoch):
        return self.epoch * per_epoch + self.step

    def next_epoch(self):
        self.epoch_seconds.append(self.seconds)
        self.epoch, self.step, self.running_loss, self.seconds = self.epoch + 1, 0, 0.0, 0.0


def rng_state():
    """minitorch's global random stream, as a uint8 tensor (torch.get_rng_state's form)."""
    return minitorch.default_generator.get_state()


def set_rng_state(state):
    minitorch.default_generator.set_state(state)


def save_checkpoint(path, lib, net, optimizer, progress, args):
    """Write what --resume needs, in torch's .pth format (lib.save), atomically: only
    tensors, dicts, lists, numbers, strings and None, which minitorch.load and
    torch.load(weights_only=True) accept. The random state is minitorch's stream (it
    orders the batches in torch's reference runs too), stored as a uint8 tensor of `lib`."""
    now = rng_state()
    epoch_start = progress.rng_at_epoch_start if progress.step else now
    state = {
        "model": net.state_dict(), "optimizer": optimizer.state_dict(),
        "epoch": progress.epoch, "step": progress.step,
        "running_loss": progress.running_loss, "losses": progress.losses,
        "accuracies": progress.accuracies, "epoch_seconds": progress.epoch_seconds,
        "seconds": progress.seconds,
        "rng_state": {name: lib.tensor(value.tolist(), dtype=lib.uint8)
                      for name, value in (("epoch_start", epoch_start), ("now", now))},
        "settings": {name: getattr(args, name) for name in SAVED_FLAGS},
        "version": minitorch.__version__,
    }
    with atomic_open(path) as f:
        lib.save(state, f)
    return path


def read_checkpoint(args, lib):
    """args.resume's contents, or one line saying why it cannot be resumed from."""
    try:
        checkpoint = lib.load(args.resume, map_location="cpu", weights_only=True)
    except Exception as e:   # a missing, unreadable or foreign file: the user's to fix
        fail(args, f"cannot read --resume {args.resume}: {getattr(e, 'strerror', None) or e}")
    if not isinstance(checkpoint, dict) or not {"model", "optimizer", "epoch", "step",
                                                "rng_state", "settings"} <= set(checkpoint):
        fail(args, f"--resume {args.resume} is not a checkpoint of this job (a run writes "
                   f"{CHECKPOINT} in its folder; the weights-only .pth cannot resume a run)")
    return checkpoint


def restore(checkpoint, net, optimizer, progress, args):
    """Put the model, optimizer, progress and random state back as they were saved."""
    settings = checkpoint["settings"]
    differ = [name for name in RUN_FLAGS if settings[name] != getattr(args, name)]
    if differ:
        fail(args, f"--resume {args.resume} was saved with " + ", ".join(
            f"--{name.replace('_', '-')} {settings[name]} (not {getattr(args, name)})"
            for name in differ))
    begun = checkpoint["epoch"] + (checkpoint["step"] > 0)   # epochs finished or under way
    if begun > args.epochs:
        fail(args, f"--epochs {args.epochs}: the run in {args.resume} has already begun "
                   f"epoch {begun}")
    net.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    for name in ("epoch", "step", "running_loss", "losses", "accuracies", "epoch_seconds",
                 "seconds"):
        setattr(progress, name, checkpoint[name])
    saved = {name: minitorch.tensor(value.tolist(), dtype=minitorch.uint8)
             for name, value in checkpoint["rng_state"].items()}
    progress.rng_at_epoch_start = saved["epoch_start"]
    progress.rng_now = saved["now"]
    set_rng_state(saved["now"])


class Interrupted(Exception):
    """Ctrl-C, raised where training can stop cleanly: between two mini-batches."""


class CtrlC:
    """While training, Ctrl-C does not raise KeyboardInterrupt wherever the program happens
    to be (half-way through an optimizer step, the weights half updated): it is noted,
    and the loop stops at the end of the mini-batch (check()), where the model, the
    optimizer and the random stream agree and can be saved. A second Ctrl-C interrupts
    at once, as usual. DataLoader workers started meanwhile inherit the handler, so they
    keep serving batches instead of dying of the same Ctrl-C."""

    def __enter__(self):
        self.requested = False
        # None: a handler set outside Python, which Python's own stands in for
        self.previous = signal.getsignal(signal.SIGINT) or signal.default_int_handler
        # (signal handlers belong to the main thread; an ignored Ctrl-C stays ignored)
        self.installed = (threading.current_thread() is threading.main_thread()
                          and self.previous is not signal.SIG_IGN)
        if self.installed:
            signal.signal(signal.SIGINT, self.request)
        return self

    def request(self, signum, frame):
        self.requested = True
        signal.signal(signal.SIGINT, self.previous)

    def check(self):
        if self.requested:
            raise Interrupted

    def __exit__(self, *exc):
        if self.installed:
            signal.signal(signal.SIGINT, self.previous)


# ---- training and testing --------------------------------------------------------------------

def batches_from(loader, progress, lib):
    """The epoch's batches from where it stands: the whole loader, or after an
    interruption the batches not yet trained on, in the same order. For those, the
    stream is set back to the epoch's start, so the shuffle draws the same order again,
    then forward to where it stood at the interruption once the first batch is in (for
    nets that draw, as dropout does)."""
    if progress.rng_now is None:
        progress.rng_at_epoch_start = rng_state()
        yield from loader
        return
    now, progress.rng_now = progress.rng_now, None
    if progress.step < len(loader):
        set_rng_state(progress.rng_at_epoch_start)
        rest = lib.utils.data.DataLoader(
            loader.dataset, batch_sampler=SkipFirst(loader.batch_sampler, progress.step),
            num_workers=loader.num_workers, collate_fn=loader.collate_fn)
        for i, batch in enumerate(rest):
            if i == 0:
                set_rng_state(now)
            yield batch
    set_rng_state(now)


def train_epoch(net, loader, criterion, optimizer, progress, log, ctrl_c, lib, device):
    """One pass over the training set (the rest of it, when resuming), printing the
    seed's running-loss lines; stops between two mini-batches after Ctrl-C."""
    per_epoch = len(loader)
    with tqdm(total=per_epoch, initial=progress.step, desc=f"epoch {progress.epoch + 1}",
              unit="batch", leave=False) as bar:
        for inputs, labels in batches_from(loader, progress, lib):
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            progress.running_loss += loss.item()
            progress.step += 1
            bar.update()
            since_line = (progress.step - 1) % log.every + 1
            if progress.step % 100 == 0:  # the bar shows the loss the next line will show
                bar.set_postfix(loss=f"{progress.running_loss / since_line:.3f}",
                                refresh=False)
            if progress.step % log.every == 0:
                mean_loss = progress.running_loss / log.every
                progress.running_loss = 0.0
                progress.losses.append([progress.global_step(per_epoch), mean_loss])
                tqdm.write(f"[{progress.epoch + 1}, {progress.step:5d}] loss: {mean_loss:.3f}")
                log.loss(progress.global_step(per_epoch), mean_loss, net, inputs, labels)
            ctrl_c.check()


def evaluate(net, loader, lib=minitorch, device="cpu", ctrl_c=None):
    """Predicted and true labels of the whole test set, and the predicted probabilities
    (softmax of the outputs) for the PR curves; no gradients needed."""
    predicted, truth, probabilities = [], [], []
    with lib.no_grad():
        for images, labels in tqdm(loader, desc="test", unit="batch", leave=False):
            outputs = net(images.to(device))
            predicted.append(outputs.argmax(1).cpu().numpy())  # the class of highest energy
            probabilities.append(softmax(outputs.cpu().numpy()))
            truth.append(labels.numpy())
            if ctrl_c is not None:
                ctrl_c.check()
    return np.concatenate(predicted), np.concatenate(truth), np.concatenate(probabilities)


def softmax(logits):
    """Each row of logits as probabilities (shifted by its maximum: no overflow)."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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


def train(epochs, net, trainloader, testloader, criterion, optimizer, progress, log, ctrl_c,
          lib, device, save):
    """The epochs still to run: train, test (logged on the loss's step axis), save a
    checkpoint; returns the last test's (predicted, truth, probabilities), or None when
    no epoch was left to run."""
    tested = None
    while progress.epoch < epochs:
        start = time.perf_counter()
        try:
            train_epoch(net, trainloader, criterion, optimizer, progress, log, ctrl_c, lib,
                        device)
        finally:
            progress.seconds += time.perf_counter() - start
        tested = evaluate(net, testloader, lib, device, ctrl_c)
        accuracy = 100 * float((tested[0] == tested[1]).mean())
        step = progress.global_step(len(trainloader))
        progress.accuracies.append([step, accuracy])
        log.epoch(step, accuracy, net, tested)
        print(f"epoch {progress.epoch + 1}: {progress.seconds:.1f} s, "
              f"test accuracy {accuracy:.2f} %")
        progress.next_epoch()
        save()
        ctrl_c.check()
    return tested


# ---- TensorBoard -----------------------------------------------------------------------------

class Log:
    """What the run shows in TensorBoard, as the seed's TensorBoard section does: a grid
    of images and the graph at the start; the running loss, with a figure of the batch's
    predictions, at every loss line; after each epoch the test accuracy (on the loss's
    step axis), the weights' histograms and a precision-recall curve per class."""

    def __init__(self, writer, args, lib):
        self.writer, self.args, self.every, self.lib = writer, args, args.log_every, lib
        _, _, mean, self.classes = DATASETS[args.dataset]
        self.mean = mean[0]   # also the std: an image is shown as x * mean + mean

    def start(self, net, images):
        grid = minitorch.vision.utils.make_grid(
            minitorch.from_numpy(images.cpu().numpy() * self.mean + self.mean))
        self.writer.add_image(f"{len(images)} {self.args.dataset} images", grid.numpy(), 0)
        with warnings.catch_warnings():   # torch's add_graph traces with torch.jit.trace,
            warnings.filterwarnings("ignore", "`torch.jit.trace", FutureWarning)  # deprecated
            self.writer.add_graph(net, images)

    def loss(self, step, value, net, inputs, labels):
        self.writer.add_scalar("training loss", value, step)
        self.writer.add_figure("predictions vs. actuals",
                               predictions_figure(net, inputs, labels, self.classes,
                                                  self.mean, self.lib), global_step=step)

    def epoch(self, step, accuracy, net, tested):
        predicted, truth, probabilities = tested
        self.writer.add_scalar("test accuracy", accuracy, step)
        for name, param in net.named_parameters():
            self.writer.add_histogram(name, param.detach().cpu().numpy(), step)
        for c, classname in enumerate(self.classes):
            self.writer.add_pr_curve(classname, truth == c, probabilities[:, c],
                                     global_step=step)


def summary_writer(lib, out, purge_step):
    """lib's SummaryWriter on out/tensorboard. minitorch's is imported only now: the
    TensorBoard protobufs it needs take a while to import."""
    if lib is minitorch:
        from .utils import tensorboard  # noqa: F401  (now lib.utils.tensorboard is there)
    return lib.utils.tensorboard.SummaryWriter(os.path.join(out, "tensorboard"),
                                               purge_step=purge_step)


# ---- pictures --------------------------------------------------------------------------------

def pyplot():
    """matplotlib's pyplot, drawing off-screen (no display needed); imported on first use."""
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


def predictions_figure(net, images, labels, classes, mean, lib, count=4):
    """The seed's 'predictions vs. actuals': the batch's first images, each titled with
    the class the net predicts, its probability and the true class; green when right,
    red when wrong."""
    fig, axes = pyplot().subplots(1, min(count, len(images)), figsize=(12, 3.6), squeeze=False)
    with lib.no_grad():
        outputs = net(images[:count])
    probabilities = softmax(outputs.cpu().numpy())
    pictures = images[:count].detach().cpu().numpy() * mean + mean   # back to [0, 1]
    for ax, picture, p, label in zip(axes[0], pictures, probabilities, labels[:count].tolist()):
        one_channel = picture.shape[0] == 1
        ax.imshow(picture[0] if one_channel else picture.transpose(1, 2, 0),
                  cmap="Greys" if one_channel else None)
        ax.set(xticks=[], yticks=[])
        guess = int(p.argmax())
        ax.set_title(f"{classes[guess]}, {100 * p[guess]:.1f}%\n(label: {classes[label]})",
                     color="green" if guess == label else "red")
    return fig


def training_figure(losses, accuracies, per_epoch, epochs, classes, class_accuracy, title):
    """The PNG: on the left, the running loss per mini-batch with the epochs marked and
    the test accuracy after each epoch (right-hand scale); on the right, the test
    accuracy per class, each bar labelled with its value."""
    fig, (left, right) = pyplot().subplots(1, 2, figsize=(13, 4.8))
    if losses:
        steps, values = zip(*losses)
        left.plot(steps, values, marker="o", markersize=3, label="running training loss")
    for epoch in range(epochs):
        left.axvline((epoch + 1) * per_epoch, color="grey", linestyle=":", linewidth=1)
        left.text((epoch + 0.5) * per_epoch, 1.01, f"epoch {epoch + 1}", ha="center",
                  va="bottom", transform=left.get_xaxis_transform())
    left.set(xlabel="mini-batch", ylabel="loss", xlim=(0, epochs * per_epoch))
    accuracy_axis = left.twinx()
    if accuracies:
        steps, values = zip(*accuracies)
        accuracy_axis.plot(steps, values, color="C1", marker="s", label="test accuracy")
        for step, value in accuracies:
            accuracy_axis.annotate(f"{value:.1f} %", (step, value), textcoords="offset points",
                                   xytext=(-4, 6), ha="right", color="C1")
    accuracy_axis.set(ylabel="test accuracy (%)", ylim=(0, 100))
    left.legend(handles=left.lines[:1] + accuracy_axis.lines[:1], loc="center right")
    bars = right.barh(classes, class_accuracy)
    right.bar_label(bars, fmt="%.1f %%", padding=3)
    right.set(title="test accuracy per class", xlabel="%", xlim=(0, 115))
    right.invert_yaxis()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


# ---- the job ---------------------------------------------------------------------------------

def run(args, lib, net, trainloader, testloader, device="cpu"):
    """Train `net` with the seed's loss and optimizer from library `lib` (minitorch or
    torch), test it after each epoch, and write the weights, a checkpoint, the plot and
    the TensorBoard logs into the run's folder (args.out). Ctrl-C saves a checkpoint and
    exits with status 130; args.resume continues from one. Returns the test accuracy in %."""
    prepare_out(args)
    checkpoint = os.path.join(args.out, CHECKPOINT)
    optimizer = lib.optim.SGD(net.parameters(), lr=args.lr, momentum=args.momentum)
    progress = Progress()
    if args.resume:
        restore(read_checkpoint(args, lib), net, optimizer, progress, args)

    def save():
        save_checkpoint(checkpoint, lib, net, optimizer, progress, args)
    per_epoch = len(trainloader)
    # A resumed run's events go on in the same folder; TensorBoard drops any an earlier
    # run logged past the checkpoint (a crash after it), as torch's purge_step says.
    purge_step = progress.global_step(per_epoch) + 1 if args.resume else None
    try:
        with summary_writer(lib, args.out, purge_step) as writer:
            log = Log(writer, args, lib)
            introduce(net, trainloader.dataset, log, args, lib, device)
            with CtrlC() as ctrl_c:
                tested = train(args.epochs, net, trainloader, testloader,
                               lib.nn.CrossEntropyLoss(), optimizer, progress, log, ctrl_c,
                               lib, device, save)
            return finish(args, lib, net, testloader, tested, progress, per_epoch, device)
    except Interrupted:
        save()
        where = (f"after epoch {progress.epoch}" if progress.step == 0 else
                 f"in epoch {progress.epoch + 1} after mini-batch {progress.step} of "
                 f"{per_epoch}")
        stop(INTERRUPTED, f"Interrupted {where}: checkpoint saved to {checkpoint}; "
                          f"continue with --resume {checkpoint}")
    except KeyboardInterrupt:   # a second Ctrl-C, or one outside the training loop
        last = (f"the last checkpoint is {checkpoint}; continue with --resume {checkpoint}"
                if os.path.exists(checkpoint) else "no checkpoint saved")
        stop(INTERRUPTED, f"Interrupted: {last}")


def introduce(net, dataset, log, args, lib, device):
    """Show the net before training: its repr and torchinfo's table (for the first
    batch_size images) and, for a new run, the images and the graph in TensorBoard."""
    images, _ = first_images(dataset, args.batch_size, lib)
    images = images.to(device)
    print(net)
    with lib.no_grad():
        summary(net, input_data=images)
    if not args.resume:
        log.start(net, images)


def finish(args, lib, net, testloader, tested, progress, per_epoch, device):
    """After training: the weights (a state_dict torch loads as is), the seed's accuracy
    lines (from the last epoch's test), the PNG, and where they all are. Returns the
    test accuracy in %."""
    print("Finished Training")
    weights = os.path.join(args.out, f"{args.dataset.replace('-', '_')}_net.pth")
    with atomic_open(weights) as f:
        lib.save(net.state_dict(), f)
    if tested is None:   # resumed after the last epoch had been tested
        tested = evaluate(net, testloader, lib, device)
    classes = DATASETS[args.dataset][3]
    accuracy, class_accuracy = report(tested[0], tested[1], classes)
    seconds = np.mean(progress.epoch_seconds)
    engine = lib.__name__ if str(device) == "cpu" else f"{lib.__name__} on {device}"
    png = os.path.join(args.out, "training.png")
    save_png(training_figure(progress.losses, progress.accuracies, per_epoch, args.epochs,
                             classes, class_accuracy,
                             f"{engine}, {args.dataset}: {accuracy:.2f} % test accuracy, "
                             f"{seconds:.1f} s/epoch"), png)
    print(f"time per epoch: {seconds:.1f} s; weights: {weights}; "
          f"checkpoint: {os.path.join(args.out, CHECKPOINT)}; plot: {png}; "
          f"TensorBoard logs: {os.path.join(args.out, 'tensorboard')}")
    return accuracy
