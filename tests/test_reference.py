"""The reference package: torch really runs the torch side, weights cross over exactly,
the lockstep holds in float64 (and catches a breach), and `python -m reference train`
sees the very batches the main job sees."""
import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from minitorch import training
from minitorch.vision import models as minitorch_models
from reference import data, lockstep, models, train
from reference.transfer import copy_weights

NETS = [(minitorch_cls, models.twin_of(minitorch_cls), shape)
        for minitorch_cls, shape, _ in lockstep.MODELS.values()]


def bits(array):
    """An array's bytes and dtype: equal only for bit-identical arrays (-0.0, nan too)."""
    return array.dtype, array.shape, array.tobytes()


# ---- weight transfer ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("minitorch_cls, torch_cls, shape", NETS)
def test_weights_round_trip_exactly(minitorch_cls, torch_cls, shape, dtype):
    ours = minitorch_cls().to(getattr(minitorch, dtype))
    with minitorch.no_grad():   # values that a careless conversion would change
        ours.fc3.bias[:3] = minitorch.tensor([-0.0, float("nan"), 1e-45])
    theirs = copy_weights(ours, torch_cls().to(getattr(torch, dtype)))
    back = copy_weights(theirs, minitorch_cls().to(getattr(minitorch, dtype)))
    for name, value in ours.state_dict().items():
        assert isinstance(theirs.state_dict()[name], torch.Tensor)
        assert bits(theirs.state_dict()[name].numpy()) == bits(value.numpy()), name
        assert bits(back.state_dict()[name].numpy()) == bits(value.numpy()), name
    # and the copies are copies: changing one engine's weights leaves the other's alone
    with torch.no_grad():
        theirs.fc3.bias.add_(1)
    assert bits(back.fc3.bias.detach().numpy()) == bits(ours.fc3.bias.detach().numpy())


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@given(st.sampled_from(["float16", "float32", "float64"]), st.integers(0, 4),
       st.integers(0, 4), st.data())
def test_any_values_cross_over_bit_for_bit(dtype, n_in, n_out, data):
    """Every float a parameter can hold, subnormals, -0.0, infinities and nans included,
    reaches the other engine and comes back unchanged, in every float dtype and for empty
    layers too."""
    ours = minitorch.nn.Linear(n_in, n_out).to(getattr(minitorch, dtype))
    any_float = st.floats(width=8 * np.dtype(dtype).itemsize)
    for p in ours.parameters():
        p.detach().numpy()[...] = data.draw(hnp.arrays(dtype, tuple(p.shape), elements=any_float))
    theirs = copy_weights(ours, torch.nn.Linear(n_in, n_out).to(getattr(torch, dtype)))
    back = copy_weights(theirs, minitorch.nn.Linear(n_in, n_out).to(getattr(minitorch, dtype)))
    for name, value in ours.state_dict().items():
        assert bits(theirs.state_dict()[name].numpy()) == bits(value.numpy()), name
        assert bits(back.state_dict()[name].numpy()) == bits(value.numpy()), name


def test_weight_transfer_checks_names_shapes_and_dtypes():
    with pytest.raises(ValueError, match=r"copy_weights: .*\n  fc1.weight: shape \(120, 400\) "
                                         r"in the source, \(120, 256\) in the target"):
        copy_weights(minitorch_models.LeNet(), models.FashionMNISTNet())
    with pytest.raises(ValueError, match=r"conv1.bias: dtype minitorch.float64 in the source, "
                                         r"torch.float32 in the target"):
        copy_weights(minitorch_models.LeNet().double(), models.LeNet())
    with pytest.raises(ValueError, match=r"missing in the source: 1.bias\n.*\n"
                                         r"  not in the target: 0.bias"):
        copy_weights(torch.nn.Sequential(torch.nn.Linear(2, 2)),
                     minitorch.nn.Sequential(minitorch.nn.Identity(), minitorch.nn.Linear(2, 2)))
    with pytest.raises(TypeError, match="copy_weights: expected a minitorch Module and a torch "
                                        "Module, got reference.models.LeNet and "
                                        "reference.models.LeNet"):
        copy_weights(models.LeNet(), models.LeNet())


# ---- lockstep -----------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["fashion-mnist", "lenet", "cifar"])
def test_float64_lockstep_holds_for_200_steps(model):
    """CPU, float64, the seed's SGD: losses, gradients and parameters agree to 1e-9 at
    every step, and the torch side is torch's own objects doing the work."""
    minitorch_cls, shape, _ = lockstep.MODELS[model]
    minitorch.manual_seed(0)
    initial = {k: v.double().numpy() for k, v in minitorch_cls().state_dict().items()}
    run, records = lockstep.run(model, steps=200, dtype="float64", device="cpu")
    assert len(records) == 200 and lockstep.first_breach(records, 1e-9, 200) is None, max(
        (r[w], w, r["step"]) for r in records for w in lockstep.DIFFERENCES)

    # the torch side ran torch: torch modules, parameters, gradients and optimizer
    net = run.torch_net
    assert type(net) is models.twin_of(minitorch_cls) and isinstance(net, torch.nn.Module)
    assert isinstance(run.torch_optimizer, torch.optim.SGD)
    for p in net.parameters():
        assert type(p) is torch.nn.Parameter and p.dtype == torch.float64
        assert type(p.grad) is torch.Tensor and p.grad.abs().sum() > 0
    logits = net(torch.zeros((1,) + shape, dtype=torch.float64))
    assert type(logits) is torch.Tensor and logits.grad_fn.name() == "AddmmBackward0"
    # it trained: both sides moved far from the shared start (far beyond the tolerance),
    # the same way
    ours = dict(run.minitorch_net.named_parameters())
    for name, p in net.named_parameters():
        assert not isinstance(p, minitorch.Tensor)
        moved = lockstep.relative_difference(p.detach().numpy(), initial[name])
        assert moved > 1e-4, (name, moved)
        np.testing.assert_allclose(ours[name].detach().numpy(), p.detach().numpy(),
                                   rtol=1e-9, atol=1e-15)


def test_lockstep_fails_on_a_breach(tmp_path, monkeypatch, capsys):
    """A minitorch optimizer that is off by a relative 1e-7 from step 50 on (a bug far too
    small to see in a loss curve) makes the lockstep exit with status 1, naming the step."""
    step = minitorch.optim.SGD.step
    calls = []

    def off_by_a_little(self, closure=None):
        calls.append(1)
        result = step(self, closure)
        if len(calls) >= 50:
            with minitorch.no_grad():
                for p in self.param_groups[0]["params"]:
                    p.mul_(1 + 1e-7)
        return result
    monkeypatch.setattr(minitorch.optim.SGD, "step", off_by_a_little)
    status = lockstep.main(["--model", "lenet", "--steps", "60", "--device", "cpu",
                            "--out", str(tmp_path / "ls")])
    out = capsys.readouterr().out
    assert status == 1
    assert "tolerance 1e-09 over steps 1-60: BROKEN at step 50: params differ by 1.00e-07" in out


def test_lockstep_exit_status_and_tol_steps(tmp_path):
    """`python -m reference lockstep` exits with status 1 past --tol (here an impossible
    1e-30: float64 rounding alone exceeds it), naming the step; differences after
    --tol-steps are reported but do not count."""
    done = subprocess.run([sys.executable, "-m", "reference", "lockstep", "--model", "lenet",
                           "--steps", "2", "--tol", "1e-30", "--device", "cpu",
                           "--out", str(tmp_path / "ls")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1, done.stderr
    assert "tolerance 1e-30 over steps 1-2: BROKEN at step 1: " in done.stdout

    records = [{"step": step, "loss_minitorch": 2.3, "loss_torch": 2.3, "loss": 0.0,
                "grads": grads, "params": params}
               for step, grads, params in [(1, 1e-12, 0.0), (2, 0.5, 1e-3)]]
    assert lockstep.first_breach(records, 1e-9, tol_steps=1) is None
    assert lockstep.first_breach(records, 1e-9, tol_steps=2) == (2, "grads", 0.5, None)
    assert "over steps 1-1: held (worst 1.00e-12, grads at step 1)" in lockstep.summary(
        records, "title", 1e-9, 1)


def test_lockstep_command_line(tmp_path):
    """`python -m reference lockstep`: a table, JSON with every step, a PNG, status 0."""
    out = tmp_path / "f32"
    done = subprocess.run([sys.executable, "-m", "reference", "lockstep", "--model", "cifar",
                           "--dtype", "float32", "--steps", "30", "--device", "cpu",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "tolerance 0.0001 over steps 1-30: held" in done.stdout
    assert "from the float64 trajectory minitorch is" in done.stdout
    saved = json.loads((tmp_path / "f32.json").read_text())
    assert [r["step"] for r in saved["steps"]] == list(range(1, 31))
    assert saved["config"]["dtype"] == "float32" and saved["config"]["tol"] == 1e-4
    assert {"loss_minitorch", "loss_torch", "loss", "grads", "params", "flips",
            "minitorch_vs_float64", "torch_vs_float64"} <= saved["steps"][0].keys()
    assert (tmp_path / "f32.png").read_bytes().startswith(b"\x89PNG")


def test_relative_difference_never_mistakes_nan_for_agreement():
    nan, inf = float("nan"), float("inf")
    assert lockstep.relative_difference(np.array([1.0, 2.0]), np.array([1.0, 4.0])) == 0.5
    assert lockstep.relative_difference(np.array([nan, 2.0, inf]), np.array([nan, 2.0, inf])) == 0
    assert lockstep.relative_difference(np.array([nan, 2.0]), np.array([1.0, 2.0])) == inf
    assert lockstep.relative_difference(np.array([1.0, 2.0]), np.array([1.0, inf])) == inf
    assert lockstep.relative_difference(np.zeros(3), np.zeros(3)) == 0
    assert lockstep.relative_difference(np.float32(1e-30), 0.0) == inf
    assert lockstep.first_breach([{"step": 1, "loss": inf, "grads": 0, "params": 0}],
                                 1e-9, 1) == (1, "loss", inf, None)


@pytest.mark.parametrize("minitorch_cls, torch_cls, shape", NETS)
def test_decisions_is_the_nets_forward(minitorch_cls, torch_cls, shape):
    """The flips count replays the seed nets' forward: its logits are the nets' own."""
    ours = minitorch_cls().double()
    theirs = copy_weights(ours, torch_cls().double())
    x = np.random.default_rng(0).standard_normal((3,) + shape)
    for lib, net in [(minitorch, ours), (torch, theirs)]:
        choices, logits = lockstep.decisions(lib, net, lib.from_numpy(x))
        assert bits(logits.detach().numpy()) == bits(net(lib.from_numpy(x)).detach().numpy())
        assert [c.dtype for c in choices] == [bool, np.int64, bool, np.int64, bool, bool]


# ---- reference train ----------------------------------------------------------------------

def test_reference_loaders_serve_the_main_jobs_batches(tmp_path):
    """With the same seed, torch's DataLoader (torchvision's images, worker processes)
    yields bit for bit the batches of minitorch's main job, in the same order, epoch after
    epoch."""
    args = training.parser().parse_args(["--limit", "60", "--batch-size", "7",
                                         "--data", str(tmp_path)])

    def two_epochs(loaders, net_cls):
        trainloader, _ = loaders(args)
        net_cls()                                 # the job draws its weights first
        return [(bits(x.numpy()), bits(y.numpy())) for _ in range(2) for x, y in trainloader]
    minitorch.manual_seed(5)
    ours = two_epochs(training.loaders, minitorch_models.FashionMNISTNet)
    minitorch.manual_seed(5)
    theirs = two_epochs(data.loaders, minitorch_models.FashionMNISTNet)
    assert len(ours) == 2 * 9 and ours == theirs
    assert ours[:9] != ours[9:]                   # each epoch shuffles anew


def test_reference_train_follows_the_main_job(tmp_path, capsys):
    """`python -m reference train` on a Fashion-MNIST slice: the main job's output, and a
    run that tracks minitorch's own (same initial weights, same batches) to float32
    rounding."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    flags = ["--limit", "200", "--epochs", "2", "--num-workers", "0", "--log-every", "25",
             "--data", str(tmp_path / "data")]
    training.main(flags + ["--out", str(tmp_path / "minitorch")])
    capsys.readouterr()
    accuracy = train.main(flags + ["--out", str(tmp_path / "torch"), "--device", "cpu"])
    out = capsys.readouterr().out
    assert out.startswith("FashionMNISTNet(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5)")
    assert "[2,    50] loss: " in out and "Finished Training" in out
    assert out.count("Accuracy for class: ") == 10
    assert f"Accuracy of the network on the 200 test images: {int(accuracy)} %" in out

    def losses(run):
        events = EventAccumulator(str(tmp_path / run / "tensorboard"))
        events.Reload()
        return [(e.step, e.value) for e in events.Scalars("training loss")]
    ours, theirs = losses("minitorch"), losses("torch")
    assert [s for s, _ in theirs] == [s for s, _ in ours] == [25, 50, 75, 100]
    np.testing.assert_allclose([v for _, v in theirs], [v for _, v in ours], rtol=1e-5)

    final = torch.load(tmp_path / "torch" / "fashion_mnist_net.pth", weights_only=True)
    initial = models.FashionMNISTNet().state_dict()
    ours = minitorch.load(str(tmp_path / "minitorch" / "fashion_mnist_net.pth"))
    for name, value in final.items():
        assert lockstep.relative_difference(ours[name].numpy(), value.numpy()) < 1e-4, name
        assert value.shape == initial[name].shape
    assert (tmp_path / "torch" / "training.png").read_bytes().startswith(b"\x89PNG")


def test_reference_command_line_usage():
    done = subprocess.run([sys.executable, "-m", "reference"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage: python -m reference {train,lockstep}" in done.stderr
    usage = train.parser().format_help()
    assert usage.startswith("usage: python -m reference train")
    assert "--device" in usage and "--num-workers" in usage and "--seed" in usage


def test_device_flag_says_what_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for parser in (train.parser(), lockstep.parser()):
        assert parser.parse_args([]).device == torch.device("cpu")
        with pytest.raises(SystemExit) as stopped:
            parser.parse_args(["--device", "cuda"])
        assert stopped.value.code == 2
        assert ("error: argument --device: cuda: torch sees no CUDA device here "
                "(torch.cuda.is_available() is False); use cpu") in capsys.readouterr().err


@pytest.mark.parametrize("flag, value, error", [
    ("--steps", "0", "expected a whole number >= 1, got '0'"),
    ("--tol-steps", "-3", "expected a whole number >= 1, got '-3'"),
    ("--batch-size", "x", "expected a whole number >= 1, got 'x'"),
    ("--tol", "nan", "expected a finite number >= 0, got 'nan'"),
    ("--lr", "nan", "expected a finite number >= 0, got 'nan'"),
    ("--lr", "-1", "expected a finite number >= 0, got '-1'"),
    ("--momentum", "inf", "expected a finite number >= 0, got 'inf'"),
])
def test_lockstep_flags_are_checked(flag, value, error, capsys):
    with pytest.raises(SystemExit) as stopped:
        lockstep.parser().parse_args([flag, value])
    assert stopped.value.code == 2
    assert f"error: argument {flag}: {error}" in capsys.readouterr().err


def test_reference_finds_the_files_minitorch_reads(tmp_path):
    """Files minitorch reads gzipped from root/MNIST/raw are unpacked where torchvision
    reads them, byte for byte."""
    import gzip
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for i, (filename, _) in enumerate(minitorch.vision.datasets.MNIST.resources):
        (raw / filename).write_bytes(gzip.compress(bytes([i]) * 100))
    data.unpack_for_torchvision("mnist", str(tmp_path))
    for i, (filename, _) in enumerate(minitorch.vision.datasets.MNIST.resources):
        assert (raw / filename[:-3]).read_bytes() == bytes([i]) * 100


def test_reference_train_without_the_data_is_one_line(tmp_path):
    """A missing dataset stops `python -m reference train` as it stops the main job: one
    line naming --download, no traceback (torchvision's own error said download=True)."""
    with pytest.raises(SystemExit) as stopped:
        train.main(["--dataset", "cifar10", "--data", str(tmp_path), "--out", str(tmp_path / "out")])
    assert str(stopped.value.code) == ("python -m reference train: error: Dataset not found or "
                                       "corrupted. You can use --download to download it")
