"""minitorch.viz.make_dot against torch: the same model, the same picture.

Each test builds the same computation in both engines, draws minitorch's graph with our
make_dot and torch's with torch's own graph (walked here, and drawn by torchviz), and
compares. Node ids in a drawing are Python object ids, so `canonical` renames them in
order of first appearance; everything else (labels, colours, edges, their order) must
be the same text.
"""
import functools
import gc
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
import torchviz

import minitorch
from minitorch.viz import make_dot
from minitorch.vision import models
from reference import models as torch_models
from reference.transfer import copy_weights

# torchviz 0.0.3 checks torch's version with distutils' LooseVersion, which warns
pytestmark = pytest.mark.filterwarnings("ignore:distutils Version classes:DeprecationWarning")

# the seed's three nets: input shape, and the loss the seed trains each with
NETS = {
    "LeNet": (models.LeNet, (2, 1, 32, 32), "MSELoss"),  # tutorial 3's MSELoss example
    "CifarNet": (models.CifarNet, (2, 3, 32, 32), "CrossEntropyLoss"),
    "FashionMNISTNet": (models.FashionMNISTNet, (2, 1, 28, 28), "CrossEntropyLoss"),
}


def canonical(source):
    """dot source with each node id replaced by n0, n1... in order of first use."""
    ids = {}
    return re.sub(r"(?m)(^\t|-> )(\d+)",
                  lambda m: m.group(1) + "n%d" % ids.setdefault(m.group(2), len(ids)), source)


def torch_nodes(output):
    """Every node of torch's graph behind `output`, walked without recursion."""
    nodes, stack = {}, [output.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is not None and id(fn) not in nodes:
            nodes[id(fn)] = fn
            stack.extend(u for u, _ in fn.next_functions)
    return list(nodes.values())


def drawn_nodes(dot):
    """The backward nodes of a drawing: its node statements without a fill colour (grey)."""
    return [s for s in dot.body if "->" not in s and "fillcolor=" not in s]


def same_drawing(build, **kwargs):
    """build(lib) -> the output(s) to draw; assert make_dot and torchviz draw the same."""
    ours = make_dot(build(minitorch), **kwargs)
    theirs = torchviz.make_dot(build(torch), **kwargs)
    assert canonical(ours.source) == canonical(theirs.source)
    return ours


@functools.cache
def net_pair(name):
    """(minitorch net, its loss, torch net, its loss) for one of the seed's nets, with the
    same weights and the same batch."""
    cls, shape, criterion = NETS[name]
    net = cls()
    twin = copy_weights(net, torch_models.twin_of(cls)())
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    target = (rng.standard_normal((shape[0], 10), dtype=np.float32) if criterion == "MSELoss"
              else rng.integers(0, 10, shape[0]))
    loss = getattr(minitorch.nn, criterion)()(net(minitorch.from_numpy(x)),
                                              minitorch.from_numpy(target))
    torch_loss = getattr(torch.nn, criterion)()(twin(torch.from_numpy(x)),
                                                torch.from_numpy(target))
    return net, loss, twin, torch_loss


@pytest.mark.parametrize("name", NETS)
def test_seed_nets_draw_every_torch_node_and_parameter(name):
    net, loss, twin, torch_loss = net_pair(name)
    dot = make_dot(loss, params=dict(net.named_parameters()))
    nodes = torch_nodes(torch_loss)
    for fn in nodes:  # torchviz labels a node with its Python class name
        assert re.search(r'label="?%s\b' % type(fn).__name__, dot.source), type(fn).__name__
    for pname, p in twin.named_parameters():
        shape = "(" + ", ".join(map(str, p.shape)) + ")"
        assert 'label="%s\n %s" fillcolor=lightblue' % (pname, shape) in dot.source
    assert len(drawn_nodes(dot)) == len(nodes)


@pytest.mark.parametrize("name", NETS)
def test_seed_nets_drawn_as_torchviz_draws_torch(name):
    net, loss, twin, torch_loss = net_pair(name)
    ours = make_dot(loss, params=dict(net.named_parameters()))
    theirs = torchviz.make_dot(torch_loss, params=dict(twin.named_parameters()))
    assert canonical(ours.source) == canonical(theirs.source)
    assert ours.graph_attr == theirs.graph_attr  # resized alike: size grows with the graph


def test_params_none_labels_leaves_by_size_only():
    net, loss, twin, torch_loss = net_pair("LeNet")
    ours = make_dot(loss)
    assert 'label="\n (6, 1, 5, 5)" fillcolor=lightblue' in ours.source
    assert canonical(ours.source) == canonical(torchviz.make_dot(torch_loss).source)


def test_renders_to_svg():
    """The `dot` program (Debian's graphviz, installed by `make setup`) draws it."""
    net, loss, _, _ = net_pair("FashionMNISTNet")
    svg = make_dot(loss, params=dict(net.named_parameters())).pipe(format="svg")
    assert isinstance(svg, bytes) and (svg.startswith(b"<?xml") or b"<svg" in svg)
    assert b"AddmmBackward0" in svg and b"conv1.weight" in svg


@pytest.mark.parametrize("container", [tuple, list])
def test_several_outputs(container):
    """A tuple of outputs (torchviz's form; a list too): each drawn green, shared nodes once."""
    def build(lib):
        w = lib.ones(3, 4, requires_grad=True)
        y = w.exp()
        return (y, y.sum(), w)
    ours = make_dot(container(build(minitorch)))
    theirs = torchviz.make_dot(build(torch))
    assert canonical(ours.source) == canonical(theirs.source)
    assert ours.source.count("fillcolor=darkolivegreen1") == 2  # w is drawn as a leaf first


def test_leaf_without_grad_fn():
    """A leaf is drawn as one green box: nothing produced it."""
    for requires_grad in (False, True):
        dot = same_drawing(lambda lib: lib.ones(3, 4, requires_grad=requires_grad))
        assert len(dot.body) == 1 and "(3, 4)" in dot.body[0]
    w = minitorch.ones(5, requires_grad=True)
    assert 'label="w\n (5)"' in make_dot(w, params={"w": w}).source


def test_view_output_draws_its_base():
    """An output that is a view: its base in dark green, joined by a dotted edge."""
    dot = same_drawing(lambda lib: (lib.ones(3, 4, requires_grad=True) * 2).view(12))
    assert "fillcolor=darkolivegreen3" in dot.source and "style=dotted" in dot.source
    same_drawing(lambda lib: lib.ones(3, 4, requires_grad=True)[0])  # a view of a leaf


def test_users_function_saved_tensors_always_drawn():
    """As torchviz does, the tensors a user's Function saved are drawn (orange)."""
    def build(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return 2 * x * grad
        return Square.apply(lib.ones(3, requires_grad=True).exp()).sum()
    dot = same_drawing(build)
    assert "SquareBackward" in dot.source and "fillcolor=orange" in dot.source


def test_deep_chain_is_walked_without_recursion():
    """100,000 nodes deep: far past Python's recursion limit (torchviz's own walk recurses).
    The garbage collector is paused while the chain grows: it would rescan every live
    node again and again, which is slow and not what this test is about."""
    gc.disable()
    try:
        y = minitorch.ones(2, requires_grad=True)
        for _ in range(100_000):
            y = y.neg()
        dot = make_dot(y)
    finally:
        gc.enable()
    assert len(drawn_nodes(dot)) == 100_001  # 100,000 NegBackward0 and one AccumulateGrad
    assert dot.source.count("NegBackward0") == 100_000


def test_show_saved_draws_the_arrays_each_node_saved():
    w = minitorch.ones(2, 3, requires_grad=True)
    x = minitorch.ones(4, 3, requires_grad=True)
    y = (x @ w.t()).relu().sum()
    dot = make_dot(y, show_saved=True)
    # mm saved its two operands, relu its result: orange boxes, undirected edges
    for i, shape in [(0, "(4, 3)"), (1, "(3, 2)"), (0, "(4, 2)")]:
        assert 'label="saved[%d]\n %s" fillcolor=orange' % (i, shape) in dot.source
    assert dot.source.count("dir=none") == 3
    assert "orange" not in make_dot(y).source  # without the flag: only the graph
    y.backward()  # frees what was saved: nothing left to draw
    assert "orange" not in make_dot(y, show_saved=True).source


def test_show_attrs_lists_each_ops_attributes():
    x = minitorch.ones(2, 3, 4, requires_grad=True)
    y = x.sum(dim=(1, 2))
    label = make_dot(y, show_attrs=True).source
    assert re.search(r"SumBackward1\n-+\n", label)
    assert re.search(r"keepdim\s*:\s*False", label)
    # the leaf's AccumulateGrad has nothing to show; the engine's bookkeeping is hidden
    for field in ("variable", "inputs", "saved", "sequence_nr", "hooks"):
        assert field not in label
    cut = make_dot(y, show_attrs=True, max_attr_chars=4).source
    assert re.search(r"shape\s*: \(\.\.\.\n", cut)  # values cut to 4 characters
    assert make_dot(y).source.count("-----") == 0  # without the flag: names only


def test_import_minitorch_leaves_viz_alone():
    """`import minitorch` must not pull in graphviz: make_dot is imported on purpose."""
    code = ("import sys, minitorch; "
            "assert 'minitorch.viz' not in sys.modules and 'graphviz' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
