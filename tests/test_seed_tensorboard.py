"""The seed's TensorBoard section, run as written on torch and, with only the imports
changed, on minitorch: every snippet must run and print what torch prints, and the two
runs must leave the same TensorBoard record in `runs/fashion_mnist_experiment_1`.

Each engine runs in its own working directory. torchvision reads the unpacked Fashion-MNIST
files from `./data/FashionMNIST/raw/` (this test unpacks Debian's copies there); minitorch
finds Debian's `/usr/share/datasets/fashion-mnist/` by itself, so its directory has no data.

The section trains one epoch over all 60,000 images; to stay fast, both engines' datasets
are cut right after loading (`.data`/`.targets` sliced, the snippets' text untouched): 4,000
training images, the fewest that reach the loop's logging step (every 1,000 batches of 4)
once, and 400 test images. Weights and shuffles differ between the engines, so the record is
compared by its form (files, tags, steps, sizes, shapes) and by what does not depend on them
(the projector's rows are images of the training set with their own labels; a PR curve
counts the test set's positives of its class).
"""
import gzip
import os
import shutil

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torchvision
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.plugins.pr_curve import plugin_data_pb2
from tensorboard.util import tensor_util

import minitorch
import minitorch.vision
from parity import torch_name
from seed_snippets import TENSORBOARD
from test_seed import as_minitorch, run_snippet
from test_seed_nn import printed_form

matplotlib.use("Agg")  # the tutorial's figures draw nowhere

DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
RUN = os.path.join("runs", "fashion_mnist_experiment_1")
N_TRAIN, N_TEST = 4000, 400
CLASSES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
           'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle Boot')


def cut_after_loading(monkeypatch, dataset_class):
    """The dataset keeps its first N_TRAIN (train) or N_TEST (test) images and labels."""
    load = dataset_class.__init__

    def init(self, *args, **kwargs):
        load(self, *args, **kwargs)
        n = N_TRAIN if self.train else N_TEST
        self.data, self.targets = self.data[:n], self.targets[:n]

    monkeypatch.setattr(dataset_class, "__init__", init)


def unpack_fashion_mnist(root):
    """Debian's .gz files, unpacked where torchvision looks: root/FashionMNIST/raw/."""
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw)
    for name in os.listdir(DEBIAN_FASHION_MNIST):
        with gzip.open(os.path.join(DEBIAN_FASHION_MNIST, name)) as src, \
                open(os.path.join(raw, name[: -len(".gz")]), "wb") as dst:
            shutil.copyfileobj(src, dst)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Both engines run the section: {engine: (run directory, printed outputs, namespace)}."""
    base = tmp_path_factory.mktemp("seed_tensorboard")
    unpack_fashion_mnist(str(base / "data"))
    results = {}
    with pytest.MonkeyPatch.context() as m:
        cut_after_loading(m, torchvision.datasets.FashionMNIST)
        cut_after_loading(m, minitorch.vision.datasets.FashionMNIST)
        for engine in ("minitorch", "torch"):
            workdir = base / engine
            workdir.mkdir()
            if engine == "torch":
                (workdir / "data").symlink_to(base / "data")
            m.chdir(workdir)
            (torch if engine == "torch" else minitorch).manual_seed(0)
            ns = {}
            outs = [run_snippet(code if engine == "torch" else as_minitorch(code), ns)
                    for code in TENSORBOARD]
            plt.close("all")
            # Snippet 4's `dataiter` holds a DataLoader iterator with live workers. Dropped
            # now, it stops them at once; left to the cycle collector (ns is a cycle through
            # the snippets' functions) its queues may go first, and each worker then waits
            # out the join timeout at pytest's exit (10 s per engine).
            del ns["dataiter"]
            results[engine] = (str(workdir / RUN), outs, ns)
    return results


def test_every_snippet_prints_what_torch_prints(runs):
    _, ours, _ = runs["minitorch"]
    _, theirs, _ = runs["torch"]
    assert len(ours) == len(theirs) == len(TENSORBOARD)
    for k, (mine, other) in enumerate(zip(ours, theirs)):
        assert printed_form(mine) == printed_form(torch_name(other)), \
            f"snippet {k}:\n{mine}\n!=\n{other}"
    assert ours[8] == "Finished Training\n"


def event_files(run_dir):
    """The run's event files in the order the writer opened them (the last number of a
    name counts the files a process opened; its time stamp is only to the second)."""
    names = [n for n in os.listdir(run_dir) if n.startswith("events.out.tfevents.")]
    return [os.path.join(run_dir, n) for n in sorted(names, key=lambda n: int(n.rsplit(".", 1)[1]))]


def events(path):
    return [Event.FromString(record) for record in RawEventFileLoader(path).Load()]


def describe(event):
    """An event's form: what it holds, its step, and per summary value the tag, plugin
    and size (an image's height, width and channels; a tensor's dtype and shape)."""
    kind = event.WhichOneof("what")
    if kind == "file_version":
        return (kind, event.file_version)
    if kind == "tagged_run_metadata":
        return (kind, event.tagged_run_metadata.tag)
    if kind != "summary":
        return (kind, event.step)
    values = []
    for value in event.summary.value:
        form = value.WhichOneof("value")
        if form == "image":
            form = (form, value.image.height, value.image.width, value.image.colorspace)
        elif form == "tensor":
            form = (form, value.tensor.dtype, [d.size for d in value.tensor.tensor_shape.dim])
        values.append((value.tag, value.metadata.plugin_data.plugin_name, form))
    return (kind, event.step, values)


def test_event_files_have_the_same_form(runs):
    """Same files (one per writer.close() cycle), same events in each: tags, steps, image
    sizes, scalar and pr-curve forms."""
    ours = [[describe(e) for e in events(f)] for f in event_files(runs["minitorch"][0])]
    theirs = [[describe(e) for e in events(f)] for f in event_files(runs["torch"][0])]
    assert ours == theirs
    summaries = [d for file in ours for d in file if d[0] == "summary"]
    assert ("summary", 999, [("training loss", "", "simple_value")]) in summaries
    assert [tag for d in summaries for tag, plugin, _ in d[2] if plugin == "pr_curves"] \
        == list(CLASSES)


def graph_def(run_dir):
    [event] = [e for f in event_files(run_dir) for e in events(f) if e.HasField("graph_def")]
    return GraphDef.FromString(event.graph_def)


def io_nodes(graph):
    """(input/output, shape) of the graph's IO nodes; names after '/' are the tracer's."""
    return sorted((node.name.split("/")[0],
                   [d.size for d in node.attr["_output_shapes"].list.shape[0].dim])
                  for node in graph.node if node.op == "IO Node")


def op_scopes(graph):
    """The module scope of each op the input passes through, in order, repeats merged:
    which layer (or the model's own forward) did what. torch's ops are its tracer's aten::
    calls; minitorch's are its autograd nodes (other names, the same layers)."""
    ops = [node.name.rpartition("/")[0] for node in graph.node
           if node.op.startswith("aten::") or node.op.endswith("Backward0")]
    return [scope for k, scope in enumerate(ops) if k == 0 or ops[k - 1] != scope]


def test_graph_has_the_models_inputs_outputs_and_layers(runs):
    ours, theirs = graph_def(runs["minitorch"][0]), graph_def(runs["torch"][0])
    assert io_nodes(ours) == io_nodes(theirs) == [("input", [4, 1, 28, 28]), ("output", [4, 10])]
    assert op_scopes(ours) == op_scopes(theirs) == [
        "Net/Conv2d[conv1]", "Net", "Net/MaxPool2d[pool]", "Net/Conv2d[conv2]", "Net",
        "Net/MaxPool2d[pool]", "Net", "Net/Linear[fc1]", "Net", "Net/Linear[fc2]", "Net",
        "Net/Linear[fc3]"]


def projector_files(run_dir):
    return sorted(os.path.relpath(os.path.join(folder, name), run_dir)
                  for folder, _, names in os.walk(run_dir) for name in names
                  if not name.startswith("events.out.tfevents."))


def test_projector_files(runs):
    """Same files and config; each engine's 100 rows are training images (as 784 numbers)
    listed with their own labels, and the sprite shows them in order (torch scales the
    uint8 images by 255 as if they were 0..1, so every pixel that is not 0 saturates)."""
    run_dirs = {engine: runs[engine][0] for engine in runs}
    assert projector_files(run_dirs["minitorch"]) == projector_files(run_dirs["torch"]) == [
        "00000/default/metadata.tsv", "00000/default/sprite.png", "00000/default/tensors.tsv",
        "projector_config.pbtxt"]
    configs = {e: open(os.path.join(d, "projector_config.pbtxt")).read()
               for e, d in run_dirs.items()}
    assert configs["minitorch"] == configs["torch"]
    for engine, run_dir in run_dirs.items():
        folder = os.path.join(run_dir, "00000", "default")
        trainset = runs[engine][2]["trainset"]
        label_of = {row.tobytes(): CLASSES[t] for row, t in
                    zip(trainset.data.numpy().reshape(N_TRAIN, 784), trainset.targets.numpy())}
        rows = np.loadtxt(os.path.join(folder, "tensors.tsv"), delimiter="\t")
        labels = open(os.path.join(folder, "metadata.tsv")).read().splitlines()
        assert rows.shape == (100, 784) and len(labels) == 100, engine
        assert [label_of[r.astype(np.uint8).tobytes()] for r in rows] == labels, engine
        sprite = np.asarray(Image.open(os.path.join(folder, "sprite.png")))
        assert sprite.shape == (280, 280, 3), engine
        tiles = sprite[..., 0].reshape(10, 28, 10, 28).transpose(0, 2, 1, 3).reshape(100, 784)
        np.testing.assert_array_equal(tiles, np.where(rows > 0, 255, 0), err_msg=engine)


def accumulator(run_dir):
    events = EventAccumulator(run_dir)
    events.Reload()
    return events


def tags(events):
    """The accumulator's tags, by kind; each kind's in name order (it reads the run's files
    in the order of their names, which begin with the second each was opened)."""
    return {kind: sorted(names) if isinstance(names, list) else names
            for kind, names in events.Tags().items()}


def test_event_accumulator_reads_minitorchs_run_as_torchs(runs):
    ours, theirs = accumulator(runs["minitorch"][0]), accumulator(runs["torch"][0])
    assert tags(ours) == tags(theirs)
    assert tags(ours)["images"] == ["four_fashion_mnist_images", "predictions vs. actuals"]
    for tag in tags(ours)["images"]:
        assert [(i.step, i.width, i.height) for i in ours.Images(tag)] == \
            [(i.step, i.width, i.height) for i in theirs.Images(tag)]
    [our_loss], [their_loss] = ours.Scalars("training loss"), theirs.Scalars("training loss")
    assert our_loss.step == their_loss.step == 999
    # both nets learned: the mean loss of the 1,000 batches is below chance (ln 10) and alike
    assert 0 < our_loss.value < np.log(10) and 0 < their_loss.value < np.log(10)
    assert 2 / 3 < our_loss.value / their_loss.value < 3 / 2


def test_pr_curves_count_the_test_sets_positives(runs):
    """A PR curve's first threshold calls every image positive: its true positives plus
    false negatives are the class's images among the N_TEST, whatever the net predicts."""
    ours, theirs = accumulator(runs["minitorch"][0]), accumulator(runs["torch"][0])
    labels = runs["minitorch"][2]["test_label"].numpy()
    for index, tag in enumerate(CLASSES):
        for events in (ours, theirs):
            [curve] = events.Tensors(tag)
            tp, fp, tn, fn, precision, recall = tensor_util.make_ndarray(curve.tensor_proto)
            assert tp.shape == (127,)
            assert tp[0] + fn[0] == np.sum(labels == index)
            assert tp[0] + fp[0] + tn[0] + fn[0] == N_TEST
            content = plugin_data_pb2.PrCurvePluginData.FromString(
                events.SummaryMetadata(tag).plugin_data.content)
            assert content.num_thresholds == 127
    np.testing.assert_array_equal(labels, runs["torch"][2]["test_label"].numpy())
