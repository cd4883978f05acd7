"""`python -m minitorch train` as a PyTorch user expects a training command to behave: a
mistake is one line on stderr, never a traceback; --help shows the defaults; Ctrl-C saves
a checkpoint that --resume continues bit for bit; each run has a folder of its own; the
TensorBoard logs hold what the seed's TensorBoard section shows (read back through a real
TensorBoard server); the net is summarised as torchinfo does; the PNG says what it shows;
`import minitorch` stays light."""
import contextlib
import io
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest
import torch

import minitorch
from minitorch import training
from minitorch.summary import summary
from minitorch.vision import models

# 48 images in batches of 4: 12 mini-batches an epoch; loss lines at steps 5, 10, 17, 22
FLAGS = ["--limit", "48", "--epochs", "2", "--num-workers", "0", "--log-every", "5"]
PER_EPOCH = 12
CLASSES = training.DATASETS["fashion-mnist"][3]
PROG = "python -m minitorch train"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A --data folder (Fashion-MNIST itself comes from Debian's package folder)."""
    return str(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def short_run(tmp_path_factory, data):
    """One uninterrupted run of FLAGS: its folder and what it printed."""
    out = tmp_path_factory.mktemp("short_run") / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        training.main(FLAGS + ["--data", data, "--out", str(out)])
    return out, printed.getvalue()


def weights(folder):
    """The final weights a run saved, as bytes per name (equal only if bit-identical)."""
    state = minitorch.load(str(folder / "fashion_mnist_net.pth"))
    return {name: value.numpy().tobytes() for name, value in state.items()}


def scalars(folder, tag):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(str(folder / "tensorboard"))
    events.Reload()
    return [(e.step, e.value) for e in events.Scalars(tag)]


def loss_lines(printed):
    return [line for line in printed.splitlines() if re.match(r"\[\d+, +\d+\] loss: ", line)]


def stopped_with(call):
    """Run call(); return the code of the SystemExit it must end with."""
    with pytest.raises(SystemExit) as stopped:
        call()
    return stopped.value.code


# ---- a user's mistake: one line, no traceback ------------------------------------------------

def test_a_missing_dataset_is_one_line_that_says_how_to_get_it(tmp_path):
    done = subprocess.run([sys.executable, "-m", "minitorch", "train", "--dataset", "mnist",
                           "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{PROG}: error: Dataset not found. You can use --download")
    assert f"put them in {tmp_path / 'data' / 'MNIST' / 'raw'}" in line
    assert not (tmp_path / "out").exists()          # no empty run folder left behind


def test_a_missing_cifar10_says_download(tmp_path):
    message = stopped_with(lambda: training.main(
        ["--dataset", "cifar10", "--data", str(tmp_path), "--out", str(tmp_path / "out")]))
    assert message == f"{PROG}: error: Dataset not found or corrupted. You can use " \
                      f"--download to download it"


@pytest.mark.parametrize("value", [str(2**64), str(-2**63 - 1), "1e3", "zero"])
def test_a_seed_out_of_manual_seeds_range_stops_at_the_command_line(value, capsys):
    assert stopped_with(lambda: training.parser().parse_args(["--seed", value])) == 2
    assert (f"error: argument --seed: expected a whole number between {-2**63} and "
            f"{2**64 - 1}, got '{value}'") in capsys.readouterr().err


def test_the_seeds_range_is_manual_seeds():
    for seed in (-2**63, 2**64 - 1):
        assert training.parser().parse_args(["--seed", str(seed)]).seed == seed
        minitorch.manual_seed(seed)
    for seed in (-2**63 - 1, 2**64):
        with pytest.raises(ValueError):
            minitorch.manual_seed(seed)


@pytest.mark.parametrize("flag", ["--lr", "--momentum"])
def test_a_negative_rate_stops_at_the_command_line(flag, capsys):
    assert stopped_with(lambda: training.parser().parse_args([flag, "-1"])) == 2
    assert f"error: argument {flag}: expected a finite number >= 0, got '-1'" in \
        capsys.readouterr().err


def unwritable_folder(tmp_path):
    """A folder no one may write into: read-only for a user; for root, Linux's /proc, where
    not even root makes a folder."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        return folder / "out"
    return "/proc"


@pytest.mark.parametrize("case", ["below a file", "a file", "read-only"])
def test_an_unwritable_out_is_one_line_before_any_work(case, tmp_path):
    """Checked first: the dataset (missing here) is not even looked for."""
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    out = {"below a file": a_file / "out", "a file": a_file,
           "read-only": None}[case] or unwritable_folder(tmp_path)
    message = stopped_with(lambda: training.main(
        ["--dataset", "mnist", "--data", str(tmp_path / "no-data"), "--out", str(out)]))
    expected = {"below a file": f"cannot write to --out {out}: Not a directory",
                "a file": f"--out {out} is a file, not a folder",
                "read-only": f"cannot write to --out {out}: "}[case]
    assert message.startswith(f"{PROG}: error: {expected}")
    assert "\n" not in message


def test_an_out_that_holds_an_earlier_run_is_refused(tmp_path, short_run):
    out, _ = short_run
    message = stopped_with(lambda: training.main(["--dataset", "mnist", "--out", str(out)]))
    assert message == (f"{PROG}: error: --out {out} already holds files (an earlier run's?); "
                       f"choose a new folder, or leave --out out for a new one under runs/")


def test_a_resume_from_something_else_is_one_line(tmp_path, short_run):
    out, _ = short_run
    missing = tmp_path / "nothing.pth"
    assert stopped_with(lambda: training.main(["--resume", str(missing)])) == \
        f"{PROG}: error: cannot read --resume {missing}: No such file or directory"
    weights_only = out / "fashion_mnist_net.pth"
    assert stopped_with(lambda: training.main(["--resume", str(weights_only)])) == (
        f"{PROG}: error: --resume {weights_only} is not a checkpoint of this job (a run "
        f"writes checkpoint.pth in its folder; the weights-only .pth cannot resume a run)")
    checkpoint = out / "checkpoint.pth"
    assert stopped_with(lambda: training.main(
        ["--resume", str(checkpoint), "--batch-size", "8"])) == (
        f"{PROG}: error: --batch-size 8 differs from 4, the value the run in {checkpoint} "
        f"began with; leave --batch-size out to resume it")


def test_help_shows_every_default_and_no_internal_notes():
    p = training.parser()
    text = p.format_help()
    assert text.startswith(f"usage: {PROG} ")
    flat = " ".join(text.split())
    in_words = {"limit": "(default: all)", "resume": "(default: none, a new run)",
                "out": "(default: a new runs/<dataset>/<Mon01_12-00-00>_<hostname>)"}
    for action in p._actions:
        if action.dest not in ("help", "version"):
            assert in_words.get(action.dest, f"(default: {action.default})") in flat, \
                action.dest
    assert "(default: 0.001)" in flat and "(default: fashion-mnist)" in flat
    assert "reference" not in text and "run()" not in text and "`run`" not in text


def test_version(capsys):
    from minitorch.__main__ import main
    assert stopped_with(lambda: training.parser().parse_args(["--version"])) == 0
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"minitorch {minitorch.__version__}\n" * 2


def test_the_top_level_command_line(capsys):
    from minitorch.__main__ import main
    assert main(["--help"]) == 0 and "python -m minitorch train --help" in capsys.readouterr().out
    assert main(["tran"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == \
        "python -m minitorch: error: unknown command 'tran'"


# ---- Ctrl-C and --resume -----------------------------------------------------------------------

def interrupt_at(monkeypatch, step, at_once=False):
    """Make the step-th optimizer step end with a Ctrl-C (SIGINT to this process, as the
    terminal sends it), or, at_once, with the KeyboardInterrupt a second Ctrl-C raises."""
    original = minitorch.optim.SGD.step
    steps = []

    def step_then_ctrl_c(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        steps.append(1)
        if len(steps) == step:
            if at_once:
                raise KeyboardInterrupt
            os.kill(os.getpid(), signal.SIGINT)
        return result
    monkeypatch.setattr(minitorch.optim.SGD, "step", step_then_ctrl_c)


@pytest.mark.parametrize("step, workers", [(5, "0"), (12, "0"), (17, "2")])
def test_ctrl_c_then_resume_ends_where_an_uninterrupted_run_ends(
        step, workers, short_run, data, tmp_path, monkeypatch, capsys):
    """Interrupted after mini-batch 5 of epoch 1, at the end of epoch 1 (before its test),
    and in epoch 2 (with DataLoader workers): the resumed run ends with the very weights,
    loss lines and TensorBoard scalars of the uninterrupted one."""
    out = tmp_path / "out"
    checkpoint = out / "checkpoint.pth"
    interrupt_at(monkeypatch, step)
    assert stopped_with(lambda: training.main(
        FLAGS + ["--num-workers", workers, "--data", data, "--out", str(out)])) == 130
    first = capsys.readouterr()
    epoch, batch = (step - 1) // PER_EPOCH + 1, (step - 1) % PER_EPOCH + 1
    assert first.err.splitlines()[-1].endswith(
        f"Interrupted in epoch {epoch} after mini-batch {batch} of {PER_EPOCH}: checkpoint "
        f"saved to {checkpoint}; continue with --resume {checkpoint}")
    assert "Traceback" not in first.err

    monkeypatch.undo()
    training.main(["--resume", str(checkpoint), "--num-workers", workers])
    second = capsys.readouterr()
    uninterrupted, printed = short_run
    assert weights(out) == weights(uninterrupted)
    assert loss_lines(first.out) + loss_lines(second.out) == loss_lines(printed)
    for tag in ("training loss", "test accuracy"):
        assert scalars(out, tag) == scalars(uninterrupted, tag), tag


def test_resume_may_raise_the_epochs_not_lower_them(short_run, tmp_path, capsys):
    """A finished run's checkpoint trains on for --epochs 3; --epochs 1 is refused."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(short_run[0] / "checkpoint.pth", out / "checkpoint.pth")
    checkpoint = out / "checkpoint.pth"
    assert stopped_with(lambda: training.main(["--resume", str(checkpoint), "--epochs", "1"])) \
        == f"{PROG}: error: --epochs 1: the run in {checkpoint} has already begun epoch 2"
    training.main(["--resume", str(checkpoint), "--epochs", "3"])
    printed = capsys.readouterr().out
    assert [line.split(" loss")[0] for line in loss_lines(printed)] == ["[3,     5]",
                                                                       "[3,    10]"]
    assert "epoch 3: " in printed
    saved = minitorch.load(str(checkpoint))
    assert (saved["epoch"], saved["settings"]["epochs"]) == (3, 3)
    assert [step for step, _ in saved["accuracies"]] == [12, 24, 36]


def test_the_checkpoint_holds_only_what_load_accepts(short_run):
    """Tensors, dicts, lists, numbers, strings (and the None and False of the optimizer's
    state_dict): minitorch.load and torch.load(weights_only=True) both read it."""
    out, _ = short_run
    checkpoint = minitorch.load(str(out / "checkpoint.pth"))

    def kinds(value):
        if isinstance(value, dict):
            return set().union(*map(kinds, value.keys()), *map(kinds, value.values()))
        if isinstance(value, list):
            return set().union(set(), *map(kinds, value))
        return {type(value).__name__}
    assert kinds(checkpoint) <= {"str", "int", "float", "bool", "NoneType", "Tensor",
                                 "Parameter"}
    assert (checkpoint["epoch"], checkpoint["step"]) == (2, 0)
    assert checkpoint["settings"]["batch_size"] == 4
    assert checkpoint["rng_state"]["now"].dtype == minitorch.uint8
    theirs = torch.load(out / "checkpoint.pth", weights_only=True)
    assert set(theirs) == set(checkpoint)
    assert set(theirs["model"]) == set(models.FashionMNISTNet().state_dict())


def test_a_second_ctrl_c_stops_at_once(data, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    interrupt_at(monkeypatch, PER_EPOCH + 2, at_once=True)
    assert stopped_with(lambda: training.main(FLAGS + ["--data", data, "--out", str(out)])) \
        == 130
    checkpoint = out / "checkpoint.pth"
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith(
        f"Interrupted: the last checkpoint is {checkpoint}; continue with --resume "
        f"{checkpoint}")
    assert "Traceback" not in err
    saved = minitorch.load(str(checkpoint))
    assert (saved["epoch"], saved["step"]) == (1, 0)     # the end of epoch 1


def read_lines(stream):
    """A queue that fills with the lines of `stream`, read by a thread of its own."""
    lines = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


def test_ctrl_c_in_a_terminal(short_run, data, tmp_path, capsys):
    """SIGINT to the whole process group, as a terminal sends it (to the DataLoader's
    workers too): exit status 130, one line, no traceback; the checkpoint resumes."""
    out = tmp_path / "out"
    checkpoint = out / "checkpoint.pth"
    job = subprocess.Popen(
        [sys.executable, "-m", "minitorch", "train", *FLAGS, "--epochs", "1000",
         "--num-workers", "2", "--data", data, "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = read_lines(job.stdout), read_lines(job.stderr)
        deadline = time.monotonic() + 240
        while not (stdout.get(timeout=max(deadline - time.monotonic(), 0.1)) or "[2,"
                   ).startswith("[2,"):
            pass
        os.killpg(job.pid, signal.SIGINT)
        assert job.wait(timeout=60) == 130
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
    err = "".join(iter(lambda: stderr.get(timeout=10), None))
    assert "Traceback" not in err and "DataLoader worker" not in err
    assert re.fullmatch(
        rf"Interrupted (in epoch 2 after mini-batch \d+ of 12|after epoch 2): checkpoint saved"
        rf" to {re.escape(str(checkpoint))}; continue with --resume {re.escape(str(checkpoint))}",
        err.splitlines()[-1])
    training.main(["--resume", str(checkpoint), "--epochs", "2", "--num-workers", "0"])
    capsys.readouterr()
    assert weights(out) == weights(short_run[0])


# ---- a folder per run ------------------------------------------------------------------------

def test_each_run_has_a_folder_of_its_own(data, tmp_path, monkeypatch, capsys):
    """Without --out, runs/fashion-mnist/<Mon01_12-00-00>_<hostname>, as torch's
    SummaryWriter names a run's folder: a rerun never mixes with an earlier one."""
    monkeypatch.chdir(tmp_path)
    flags = ["--limit", "8", "--epochs", "1", "--num-workers", "0", "--data", data]
    training.main(flags)
    training.main(flags)
    assert "weights: runs/fashion-mnist/" in capsys.readouterr().out
    runs = sorted(os.listdir(tmp_path / "runs" / "fashion-mnist"))
    assert len(runs) == 2
    for run in runs:
        assert re.fullmatch(r"[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_"
                            + re.escape(socket.gethostname()) + r"(_\d+)?", run)
        folder = tmp_path / "runs" / "fashion-mnist" / run
        assert {"checkpoint.pth", "fashion_mnist_net.pth", "training.png", "tensorboard"} \
            == set(os.listdir(folder))
        assert len(os.listdir(folder / "tensorboard")) == 1


# ---- TensorBoard, read back through the real server ------------------------------------------

@contextlib.contextmanager
def tensorboard_server(logdir):
    """TensorBoard serving logdir on 127.0.0.1, on a free port; yields its URL; always
    stopped at the end."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host",
         "127.0.0.1", "--port", "0", "--load_fast", "false", "--reload_interval", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lines, deadline, url = read_lines(server.stderr), time.monotonic() + 120, None
        while url is None:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            assert line is not None, "TensorBoard ended before serving"
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found and found.group(0)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_tensorboard_shows_what_the_seeds_tensorboard_section_shows(short_run):
    out, printed = short_run

    def get(url, path, **query):
        query = "?" + urllib.parse.urlencode(query) if query else ""
        with urllib.request.urlopen(url + path + query, timeout=30) as answer:
            return answer.read()

    def data_of(url, path, **query):
        return json.loads(get(url, path, run="tensorboard", **query))

    with tensorboard_server(out) as url:
        deadline = time.monotonic() + 60     # the first load runs in the background
        while "tensorboard" not in json.loads(get(url, "data/plugin/scalars/tags")):
            assert time.monotonic() < deadline, "TensorBoard loaded no run"
            time.sleep(0.2)
        tags = {plugin: json.loads(get(url, f"data/plugin/{plugin}/tags"))["tensorboard"]
                for plugin in ("scalars", "images", "histograms", "pr_curves")}
        # training loss and test accuracy on one step axis: mini-batches
        assert set(tags["scalars"]) == {"training loss", "test accuracy"}
        loss = data_of(url, "data/plugin/scalars/scalars", tag="training loss")
        accuracy = data_of(url, "data/plugin/scalars/scalars", tag="test accuracy")
        assert [step for _, step, _ in loss] == [5, 10, 17, 22]
        assert [step for _, step, _ in accuracy] == [PER_EPOCH, 2 * PER_EPOCH]
        assert [f"{value:.2f}" for _, _, value in accuracy] == re.findall(
            r"test accuracy (\d+\.\d\d) %", printed)
        # a grid of images and the figure of predictions vs. actuals
        assert set(tags["images"]) == {"4 fashion-mnist images", "predictions vs. actuals"}
        figures = data_of(url, "data/plugin/images/images", tag="predictions vs. actuals")
        assert [figure["step"] for figure in figures] == [5, 10, 17, 22]
        picture = get(url, "data/plugin/images/individualImage?" + figures[0]["query"])
        assert picture.startswith(b"\x89PNG")
        # the weights' histograms, after each epoch
        names = [name for name, _ in models.FashionMNISTNet().named_parameters()]
        assert sorted(tags["histograms"]) == sorted(names)
        histograms = data_of(url, "data/plugin/histograms/histograms", tag="fc1.weight")
        assert [step for _, step, _ in histograms] == [PER_EPOCH, 2 * PER_EPOCH]
        # the graph
        assert json.loads(get(url, "data/plugin/graphs/info"))["tensorboard"]["run_graph"]
        graph = get(url, "data/plugin/graphs/graph", run="tensorboard").decode()
        assert 'name: "FashionMNISTNet/Conv2d[conv1]' in graph
        # a precision-recall curve per class
        assert sorted(tags["pr_curves"]) == sorted(CLASSES)
        curves = data_of(url, "data/plugin/pr_curves/pr_curves", tag="Sneaker")["tensorboard"]
        assert [curve["step"] for curve in curves] == [PER_EPOCH, 2 * PER_EPOCH]


# ---- the summary -----------------------------------------------------------------------------

def test_the_job_prints_the_nets_summary(short_run):
    _, printed = short_run
    table = str(summary(models.FashionMNISTNet(), (4, 1, 28, 28), verbose=0))
    assert printed.startswith(repr(models.FashionMNISTNet()) + "\n" + table + "\n")
    assert "├─Conv2d: 1-1                            [4, 6, 24, 24]            156" in table
    assert "Total params: 44,426" in table and "Total mult-adds (M): 1.15" in table


def nets(lib):
    """Nets that exercise the table: a ModuleList (never called itself), a module called
    twice, a parameter of the model's own, frozen weights, deep nesting, a long name."""
    nn = lib.nn

    class AVeryLongNameForAModuleInTheTable(nn.Sequential):
        pass

    class Mixed(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
            self.shared = nn.Linear(3, 3)
            self.scale = nn.Parameter(lib.ones(3))
            self.deep = nn.Sequential(AVeryLongNameForAModuleInTheTable(nn.Sequential(
                nn.Sequential(nn.Linear(3, 3)))), nn.ReLU())
            self.frozen = nn.Linear(3, 2)
            self.frozen.weight.requires_grad_(False)

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return self.frozen(self.deep(self.shared(self.shared(x)) * self.scale))
    return Mixed()


@pytest.mark.parametrize("name, shape", [("FashionMNISTNet", (4, 1, 28, 28)),
                                         ("CifarNet", (1, 3, 32, 32)), ("LeNet", (2, 1, 32, 32)),
                                         ("mixed", (5, 3))])
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_summary_prints_torchinfos_table(name, shape, depth):
    """Line for line torchinfo's table, for minitorch's nets and for torch's (which the
    reference run passes); torchinfo 1.8 on Python >= 3.11 writes its unit as
    'Units.MEGABYTES' where it means 'M'."""
    import torchinfo   # a dev dependency (pyproject.toml), the oracle here
    from reference import models as torch_models
    ours, theirs = ((nets(minitorch), nets(torch)) if name == "mixed" else
                    (getattr(models, name)(), getattr(torch_models, name)()))
    expected = str(torchinfo.summary(theirs, shape, depth=depth, verbose=0))
    expected = expected.replace("(Units.MEGABYTES)", "(M)")
    assert str(summary(ours, shape, depth=depth, verbose=0)) == expected
    assert str(summary(theirs, input_data=torch.zeros(shape), depth=depth, verbose=0)) \
        == expected


def test_summary_leaves_the_model_and_the_random_stream_as_they_were(capsys):
    net = nets(minitorch)
    net.train()
    state = minitorch.default_generator.get_state()
    statistics = summary(net, input_size=(5, 3))
    assert capsys.readouterr().out == str(statistics) + "\n"     # verbose=1 prints it
    assert minitorch.equal(minitorch.default_generator.get_state(), state)
    assert net.training and all("forward" not in vars(m) for m in net.modules())
    assert (statistics.total_params, statistics.trainable_params) == (59, 53)
    with pytest.raises(ValueError, match="exactly one of input_size and input_data"):
        summary(net)


# ---- the PNG ---------------------------------------------------------------------------------

def test_the_png_shows_values_epochs_and_accuracy_per_epoch(short_run):
    assert (short_run[0] / "training.png").read_bytes().startswith(b"\x89PNG")
    class_accuracy = [10.0 * c + 0.25 for c in range(10)]
    fig = training.training_figure([[5, 2.3], [10, 2.2], [17, 2.0], [22, 1.9]],
                                   [[12, 40.0], [24, 55.5]], PER_EPOCH, 2, CLASSES,
                                   class_accuracy, "a title")
    try:
        left, right, accuracy_axis = fig.axes
        assert [text.get_text() for text in right.texts] == \
            [f"{value:.1f} %" for value in class_accuracy]          # values on the bars
        epoch_lines = [line for line in left.lines if line.get_linestyle() == ":"]
        assert [line.get_xdata()[0] for line in epoch_lines] == [12, 24]
        assert [text.get_text() for text in left.texts] == ["epoch 1", "epoch 2"]
        [accuracy] = accuracy_axis.lines
        assert list(accuracy.get_xdata()) == [12, 24]
        assert list(accuracy.get_ydata()) == [40.0, 55.5]
        assert [text.get_text() for text in accuracy_axis.texts] == ["40.0 %", "55.5 %"]
        assert accuracy_axis.get_ylabel() == "test accuracy (%)"
    finally:
        training.pyplot().close(fig)


# ---- imports ---------------------------------------------------------------------------------

def test_import_minitorch_leaves_matplotlib_and_tensorboard_alone():
    """They take seconds to import: only the code that draws or logs imports them."""
    code = ("import sys, minitorch, minitorch.training, minitorch.summary, minitorch.__main__;"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'matplotlib', 'tensorboard', 'torch'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
