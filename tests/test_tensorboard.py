"""SummaryWriter against torch's: the same calls, written by both into two directories,
must read back as the same events (steps, tags, values, histogram buckets, decoded image
pixels, text, PR-curve tables) and the same projector files. tensorboard's own readers
(EventFileLoader, EventAccumulator) do the reading, so the files are real event files."""
import glob
import io
import os
import re
import tempfile

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
from torch.utils.tensorboard import SummaryWriter as TorchWriter

import minitorch
import minitorch.nn as nn
from minitorch.utils.tensorboard import SummaryWriter
from tests.parity import same_error

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

WRITERS = {minitorch: SummaryWriter, torch: TorchWriter}


def as_lib(lib, a):
    """The array as the library's tensor (a copy, so the two runs share nothing)."""
    return lib.from_numpy(np.array(a))


def events(log_dir):
    """Every event of log_dir's event files, in order; wall times zeroed and PNG images
    replaced by their decoded pixels (two encoders may compress the same pixels apart)."""
    found = []
    for path in sorted(glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))):
        for event in EventFileLoader(path).Load():
            event.wall_time = 0
            for value in event.summary.value:
                if value.HasField("image"):
                    pixels = Image.open(io.BytesIO(value.image.encoded_image_string))
                    value.image.encoded_image_string = np.asarray(pixels).tobytes()
            found.append(event)
    return found


def run_dirs(log_dir):
    """{directory relative to log_dir: its events} for log_dir and every run below it."""
    return {os.path.relpath(d, log_dir): events(d) for d, _, _ in os.walk(log_dir)
            if glob.glob(os.path.join(d, "events.out.tfevents.*"))}


def logged(log, **writer_args):
    """Run log(writer, lib) with minitorch's writer and with torch's, each in a fresh
    directory; return both directories' events by run directory (ours, torch's)."""
    results = []
    for lib in (minitorch, torch):
        with tempfile.TemporaryDirectory() as log_dir:
            with WRITERS[lib](log_dir, **writer_args) as writer:
                log(writer, lib)
            results.append(run_dirs(log_dir))
    return results


def assert_same_events(log, **writer_args):
    ours, theirs = logged(log, **writer_args)
    assert ours.keys() == theirs.keys()
    assert sum(map(len, theirs.values())) > len(theirs)  # more than a file-version event each
    for run in theirs:
        assert len(ours[run]) == len(theirs[run]), run
        for mine, torchs in zip(ours[run], theirs[run]):
            assert mine == torchs, f"{run}:\nminitorch: {mine}\ntorch:     {torchs}"




# ---- scalars -------------------------------------------------------------------------------

@given(st.lists(st.floats(-1e30, 1e30, allow_nan=False), min_size=1, max_size=5),
       st.sampled_from(["tensor", "numpy", "python"]), st.booleans(), st.booleans())
@settings(max_examples=10)
def test_add_scalar(values, kind, new_style, double_precision):
    def log(w, lib):
        for step, v in enumerate(values):
            value = {"tensor": as_lib(lib, np.float32(v)), "numpy": np.float32(v), "python": v}[kind]
            w.add_scalar("loss/train", value, step * 10, new_style=new_style,
                         double_precision=double_precision)
    assert_same_events(log)


def test_add_scalar_accepts_one_element_tensors_and_refuses_more():
    assert_same_events(lambda w, lib: w.add_scalar("x", as_lib(lib, [[2.5]]), 1))

    def log_pair(lib):
        with tempfile.TemporaryDirectory() as d, WRITERS[lib](d) as w:
            w.add_scalar("x", as_lib(lib, [1.0, 2.0]))
    same_error(log_pair, exact=False, key="Tensor should contain one element (0 dimensions).")


def test_add_scalars_writes_one_run_per_key():
    def log(w, lib):
        for step in range(3):
            w.add_scalars("run/14h", {"xsinx": step * np.sin(step), "tanx": np.tan(step / 5)}, step)
    ours, _ = logged(log)
    assert sorted(ours) == [".", "run_14h_tanx", "run_14h_xsinx"]
    assert_same_events(log)


def test_purge_step_and_filename_suffix():
    assert_same_events(lambda w, lib: w.add_scalar("x", 1.0, 7), purge_step=5)
    with tempfile.TemporaryDirectory() as d:
        with SummaryWriter(d, filename_suffix=".v2") as w:
            w.add_scalar("x", 1.0)
        (name,) = os.listdir(d)
        assert name.startswith("events.out.tfevents.") and name.endswith(".v2")


# ---- histograms ----------------------------------------------------------------------------

@given(hnp.arrays(np.float32, hnp.array_shapes(max_dims=3, max_side=20),
                  elements=st.floats(-1e6, 1e6, allow_nan=False, width=32)),
       st.sampled_from(["tensorflow", "auto", 7, "edges"]), st.sampled_from([None, 3]))
@settings(max_examples=15)
def test_add_histogram(values, bins, max_bins):
    if isinstance(bins, str) and bins == "edges":
        bins = np.linspace(values.min() - 1, values.max() + 1, 6)

    def log(w, lib):
        w.add_histogram("weights", as_lib(lib, values), 3, bins=bins, max_bins=max_bins)
        w.add_histogram("numpy", values, 4, bins=bins, max_bins=max_bins)
    assert_same_events(log)


def test_add_histogram_of_nothing_is_a_value_error():
    def log_empty(lib):
        with tempfile.TemporaryDirectory() as d, WRITERS[lib](d) as w:
            w.add_histogram("h", as_lib(lib, np.zeros(0, np.float32)))
    same_error(log_empty)


# ---- images --------------------------------------------------------------------------------

image_cases = st.sampled_from([("CHW", (3, 5, 7)), ("CHW", (1, 4, 4)), ("HWC", (6, 3, 3)),
                               ("HWC", (2, 5, 4)), ("HW", (5, 6)), ("WHC", (4, 3, 1))])


@given(image_cases, st.booleans(), st.data())
@settings(max_examples=15)
def test_add_image(case, as_uint8, data):
    dataformats, shape = case
    if as_uint8:
        img = data.draw(hnp.arrays(np.uint8, shape))
    else:  # out of [0, 1] too: both clip
        img = data.draw(hnp.arrays(np.float32, shape, elements=st.floats(-0.5, 1.5, width=32)))
    assert_same_events(lambda w, lib: w.add_image("img", as_lib(lib, img), 2,
                                                  dataformats=dataformats))


@given(st.integers(1, 11), st.sampled_from([1, 3]), st.sampled_from(["NCHW", "NHWC"]))
@settings(max_examples=10)
def test_add_images_tiles_a_batch(n, channels, dataformats):
    batch = np.random.default_rng(n).random((n, channels, 3, 4), dtype=np.float32)
    if dataformats == "NHWC":
        batch = batch.transpose(0, 2, 3, 1).copy()
    assert_same_events(lambda w, lib: w.add_images("batch", as_lib(lib, batch),
                                                   dataformats=dataformats))


def test_add_image_refuses_a_shape_that_does_not_match_dataformats():
    def log_bad(lib):
        with tempfile.TemporaryDirectory() as d, WRITERS[lib](d) as w:
            w.add_image("img", as_lib(lib, np.zeros((3, 4), np.float32)), dataformats="CHW")
    same_error(log_bad, exact=False, key="size of input tensor and input format are different.")


def figure(title):
    fig = plt.figure(figsize=(2, 1.5), dpi=50)
    ax = fig.add_subplot(1, 1, 1, xticks=[], yticks=[])
    ax.imshow(np.arange(12.0).reshape(3, 4), cmap="Greys")
    ax.set_title(title, color="green")
    return fig


def test_add_figure_renders_and_closes():
    def log(w, lib):
        fig = figure("one")
        w.add_figure("predictions vs. actuals", fig, global_step=999)
        assert not plt.fignum_exists(fig.number)
        w.add_figure("pair", [figure("a"), figure("b")], global_step=1)
    assert_same_events(log)


# ---- text and PR curves --------------------------------------------------------------------

@given(st.text(max_size=30))
@settings(max_examples=10)
def test_add_text(text):
    assert_same_events(lambda w, lib: w.add_text("notes", text, 5))


@given(hnp.arrays(np.float32, st.integers(1, 40), elements=st.floats(0, 1, width=32)),
       st.data(), st.sampled_from([127, 10, 200]), st.booleans())
@settings(max_examples=15)
def test_add_pr_curve(predictions, data, num_thresholds, weighted):
    labels = data.draw(hnp.arrays(np.bool_, predictions.shape))
    weights = np.linspace(0.5, 2, predictions.size) if weighted else None
    assert_same_events(lambda w, lib: w.add_pr_curve(
        "Sandal", as_lib(lib, labels), as_lib(lib, predictions), global_step=0,
        num_thresholds=num_thresholds, weights=weights))


# ---- embeddings ----------------------------------------------------------------------------

def projector_files(log):
    """Run log(writer, lib) in both writers; return {relative path: bytes} of every file
    but the event files, for each (ours, torch's)."""
    results = []
    for lib in (minitorch, torch):
        with tempfile.TemporaryDirectory() as log_dir:
            with WRITERS[lib](log_dir) as writer:
                log(writer, lib)
            files = {}
            for d, _, names in os.walk(log_dir):
                for name in names:
                    if not name.startswith("events.out.tfevents."):
                        with open(os.path.join(d, name), "rb") as f:
                            files[os.path.relpath(os.path.join(d, name), log_dir)] = f.read()
            results.append(files)
    return results


def test_add_embedding_writes_torchs_projector_files():
    rng = np.random.default_rng(0)
    features = rng.standard_normal((9, 6)).astype(np.float32)
    uint8_images = rng.integers(0, 256, (9, 1, 5, 5), dtype=np.uint8)  # as trainset.data
    float_images = rng.random((9, 3, 4, 4), dtype=np.float32)
    classes = [f"class {i % 3}" for i in range(9)]

    def log(w, lib):
        w.add_embedding(as_lib(lib, features), metadata=classes,
                        label_img=as_lib(lib, uint8_images))
        w.add_embedding(as_lib(lib, features[:4].astype(np.float64)), tag="a/b%c",
                        label_img=as_lib(lib, float_images[:4]), global_step=12)
        w.add_embedding(features, metadata=[[c, i] for i, c in enumerate(classes)],
                        metadata_header=["name", "index"], global_step=3)

    ours, theirs = projector_files(log)
    assert sorted(ours) == sorted(theirs) == sorted([
        "projector_config.pbtxt",
        "00000/default/tensors.tsv", "00000/default/metadata.tsv", "00000/default/sprite.png",
        "00012/a%2fb%25c/tensors.tsv", "00012/a%2fb%25c/sprite.png",
        "00003/default/tensors.tsv", "00003/default/metadata.tsv"])
    for path in theirs:
        assert ours[path] == theirs[path], path


def test_add_embedding_checks_the_number_of_labels():
    def log_short(lib):
        with tempfile.TemporaryDirectory() as d, WRITERS[lib](d) as w:
            w.add_embedding(as_lib(lib, np.zeros((3, 2), np.float32)), metadata=["a", "b"])
    same_error(log_short)


# ---- graphs --------------------------------------------------------------------------------

def build_net(lib):
    """A small conv + linear net, as the seed's Net, in either library."""
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(1, 2, 3)
            self.fc1 = lib.nn.Linear(8, 5)
            self.fc2 = lib.nn.Linear(5, 3)

        def forward(self, x):
            x = lib.nn.functional.relu(self.conv1(x)).view(-1, 8)
            return self.fc2(lib.nn.functional.relu(self.fc1(x)))
    return Net()


def autograd_tree(grad_fn, leaf_kind):
    """The autograd graph below grad_fn as nested (op name, inputs) tuples; leaves are
    ('Parameter' or 'IO Node', shape)."""
    if grad_fn.name().endswith("AccumulateGrad"):
        return leaf_kind(grad_fn.variable), tuple(grad_fn.variable.shape)
    return grad_fn.name(), tuple(autograd_tree(f, leaf_kind) for f, _ in grad_fn.next_functions
                                 if f is not None)


def graphdef_tree(nodes, name):
    node = nodes[name]
    if not node.input:
        return node.op, tuple(d.size for d in node.attr["_output_shapes"].list.shape[0].dim)
    return node.op, tuple(graphdef_tree(nodes, i) for i in node.input)


def test_add_graph_draws_the_autograd_graph():
    x = np.random.default_rng(1).random((2, 1, 4, 3), dtype=np.float32)
    net, torch_net = build_net(minitorch), build_net(torch)
    with tempfile.TemporaryDirectory() as d:
        with SummaryWriter(d) as w:
            w.add_graph(net, as_lib(minitorch, x))
        ours = {n.name: n for n in EventAccumulator(d).Reload().Graph().node}
    with tempfile.TemporaryDirectory() as d:
        with TorchWriter(d) as w:
            w.add_graph(torch_net, as_lib(torch, x))
        theirs = {n.name: n for n in EventAccumulator(d).Reload().Graph().node}

    # the model's inputs and outputs: the same IO nodes, names and shapes as torch's
    for name in ("input/x", "output/output.1"):
        assert ours[name].op == theirs[name].op == "IO Node"
        assert ours[name].attr["_output_shapes"] == theirs[name].attr["_output_shapes"]
    # the ops: torch's own autograd graph of the same model, node for node
    tx = as_lib(torch, x).requires_grad_()
    expected = autograd_tree(torch_net(tx).grad_fn,
                             lambda v: "IO Node" if v is tx else "Parameter")
    assert graphdef_tree(ours, "output/output.1")[1] == (expected,)
    # each parameter under its module's scope, as torch's graph scopes them
    for path, p in net.named_parameters():
        module, _, attr = path.rpartition(".")
        scope = f"Net/{type(getattr(net, module)).__name__}[{module}]"
        assert ours[f"{scope}/{attr}"].op == "Parameter"
        assert any(n.startswith(scope + "/") for n in theirs)
    assert ours["Net/Linear[fc1]/AddmmBackward0"].input[0] == "Net/Linear[fc1]/bias"
    assert net.training  # run in eval mode, then restored


# ---- the writer's life ---------------------------------------------------------------------

def test_default_log_dir_is_runs_date_host_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dirs = []
    for Writer in (SummaryWriter, TorchWriter):
        w = Writer(comment="_LR_0.1")
        dirs.append(w.get_logdir())
        w.close()
        assert os.path.isdir(dirs[-1])
    pattern = re.compile(r"runs/[A-Z][a-z]{2}\d\d_\d\d-\d\d-\d\d_(.+)_LR_0\.1")
    assert pattern.fullmatch(dirs[0]).group(1) == pattern.fullmatch(dirs[1]).group(1)


def test_flush_writes_and_adding_after_close_opens_a_new_file():
    def log(w, lib):
        w.add_scalar("x", 1.0, 0)
        w.flush()
        assert len(events(w.get_logdir())) == 2  # on disk before close
        w.close()
        w.close()  # a second close does nothing
        w.add_scalar("x", 2.0, 1)  # a new event file
    ours, theirs = logged(log)
    assert len(ours["."]) == 4  # two files: a file-version event and a scalar in each
    assert ours == theirs


def test_tensorboard_reads_everything_back():
    """The seed tutorial's calls, read with TensorBoard's EventAccumulator."""
    rng = np.random.default_rng(2)
    with tempfile.TemporaryDirectory() as d:
        with SummaryWriter(d) as w:
            w.add_image("four_fashion_mnist_images", minitorch.from_numpy(
                rng.random((1, 32, 122), dtype=np.float32)))
            w.add_graph(nn.Linear(3, 2), minitorch.ones(4, 3))
            for step in (999, 1999):
                w.add_scalar("training loss", minitorch.tensor(0.5).item(), step)
            w.add_figure("predictions vs. actuals", figure("x"), global_step=999)
            w.add_histogram("fc.weight", minitorch.randn(10, 3), 0)
            w.add_text("note", "hello")
            w.add_pr_curve("T-shirt/top", minitorch.tensor([True, False]),
                           minitorch.tensor([0.8, 0.3]), global_step=0)
        acc = EventAccumulator(d, size_guidance={"tensors": 0}).Reload()
    tags = acc.Tags()
    assert tags["images"] == ["four_fashion_mnist_images", "predictions vs. actuals"]
    assert tags["scalars"] == ["training loss"]
    assert tags["histograms"] == ["fc.weight"]
    assert sorted(tags["tensors"]) == ["T-shirt/top", "note/text_summary"]
    assert tags["graph"]
    assert [(e.step, e.value) for e in acc.Scalars("training loss")] == [(999, 0.5), (1999, 0.5)]
    (img,) = acc.Images("four_fashion_mnist_images")
    assert (img.width, img.height) == (122, 32)
    assert acc.Histograms("fc.weight")[0].histogram_value.num == 30
    pr = acc.Tensors("T-shirt/top")[0].tensor_proto
    assert [d.size for d in pr.tensor_shape.dim] == [6, 127]
    assert {n.name for n in acc.Graph().node} >= {"input/input", "output/output.1",
                                                  "Linear/weight", "Linear/bias"}


def test_values_must_be_tensors_arrays_or_numbers():
    with tempfile.TemporaryDirectory() as d, SummaryWriter(d) as w:
        with pytest.raises(NotImplementedError, match="numpy array or minitorch tensor"):
            w.add_histogram("h", [1.0, 2.0])
