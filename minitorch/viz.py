"""make_dot: the autograd graph behind a tensor, drawn with Graphviz as torchviz draws it.

`from minitorch.viz import make_dot` stands in for `from torchviz import make_dot`: same
arguments, and the same picture, node for node and colour for colour:

    grey box          a backward node (a tensor's `grad_fn`), labelled with torch's node
                      name: AddmmBackward0, ReluBackward0, AccumulateGrad...
    light blue box    a leaf tensor that requires grad, joined to its AccumulateGrad node;
                      labelled with its name in `params` (if given) and its size, `(6, 1, 5, 5)`
    green box         each tensor passed in as an output (darkolivegreen1); if it is a view,
                      its base tensor too (darkolivegreen3, dotted edge base -> view)
    orange box        what a node saved for backward: always for a Function written by a
                      user (it saves tensors), and with `show_saved=True` the numpy arrays
                      minitorch's own ops save (torchviz reads torch's `_saved_*`
                      attributes; minitorch has none, so these are labelled `saved[i]`)

Edges point the way the forward pass ran: from each of a node's `next_functions` (the
nodes of its inputs) to the node, and from an output's `grad_fn` to the output. With `show_attrs=True` a node's
label also lists what its op kept on the node besides saved arrays (the shape, dims,
stride... minitorch's ops put them as plain attributes where torch has `_saved_*` ones).

Why a separate module: `import minitorch` stays free of the graphviz package; importing
this module is the user's choice, as importing torchviz is.

The walk is iterative, not recursive, so a graph 100,000 nodes deep draws fine; it
visits nodes in exactly the order torchviz's recursion does, so the drawing's source
matches torchviz's line for line (up to the node ids, which are Python object ids).
"""
import numpy as np
from graphviz import Digraph

from . import Tensor

# torchviz's look: grey filled boxes in small monospace text
NODE_ATTR = dict(style="filled", shape="box", align="left", fontsize="10", ranksep="0.1",
                 height="0.2", fontname="monospace")


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50):
    """Draw the autograd graph that produced `var` (a tensor, or a tuple/list of them).

    params: {name: tensor}, e.g. `dict(model.named_parameters())`, to label leaves.
    show_attrs: add each node's op attributes (shape, dim, stride...) to its label.
    show_saved: draw the arrays each node saved for backward (orange).
    max_attr_chars: with show_attrs, values longer than this are cut (and end in ...).
    Returns a graphviz.Digraph: `dot.render("graph", format="png")`, `dot.pipe("svg")`,
    or just display it in a notebook.
    """
    if params is not None:
        assert all(isinstance(p, Tensor) for p in params.values())
        param_map = {id(v): k for k, v in params.items()}
    else:
        param_map = {}

    dot = Digraph(node_attr=NODE_ATTR, graph_attr=dict(size="12,12"))
    seen = set()  # ids of the nodes and tensors drawn (ids: a tensor's == is elementwise)

    def tensor_label(t, name=None):
        name = name or param_map.get(id(t), "")
        return "%s\n %s" % (name, size_to_str(t.shape))

    def draw_tensor(t, name, color):
        seen.add(id(t))
        dot.node(str(id(t)), tensor_label(t, name), fillcolor=color)

    def enter(fn):
        """Draw fn itself (and what hangs off it); return an iterator over its inputs."""
        seen.add(id(fn))
        saved = getattr(fn, "saved", None) or ()
        if show_saved:
            for i, a in enumerate(saved):
                if isinstance(a, np.ndarray):
                    dot.edge(str(id(fn)), str(id(a)), dir="none")
                    draw_tensor(a, "saved[%d]" % i, "orange")
        if hasattr(fn, "variable"):  # AccumulateGrad: draw the leaf it fills
            draw_tensor(fn.variable, None, "lightblue")
            dot.edge(str(id(fn.variable)), str(id(fn)))
        dot.node(str(id(fn)), node_label(fn, show_attrs, max_attr_chars))
        return iter(fn.next_functions)

    def leave(fn):
        """After fn's inputs: the tensors a user's Function saved, as torchviz draws them."""
        for t in getattr(fn, "saved", None) or ():
            if isinstance(t, Tensor):
                seen.add(id(t))
                dot.edge(str(id(t)), str(id(fn)), dir="none")
                dot.node(str(id(t)), tensor_label(t), fillcolor="orange")

    def add_nodes(root):
        """Depth first from root, with a stack of (node, its inputs still to visit)."""
        if id(root) in seen:
            return
        stack = [(root, enter(root))]
        while stack:
            fn, inputs = stack[-1]
            for u, _ in inputs:
                if u is None:
                    continue
                dot.edge(str(id(u)), str(id(fn)))
                if id(u) not in seen:
                    stack.append((u, enter(u)))
                    break
            else:  # every input done
                stack.pop()
                leave(fn)

    def add_output(t, color="darkolivegreen1"):
        if id(t) in seen:
            return
        draw_tensor(t, None, color)
        if t.grad_fn is not None:
            add_nodes(t.grad_fn)
            dot.edge(str(id(t.grad_fn)), str(id(t)))
        if t._base is not None:  # a view: its base too (a base is never itself a view)
            add_output(t._base, color="darkolivegreen3")
            dot.edge(str(id(t._base)), str(id(t)), style="dotted")

    for t in var if isinstance(var, (tuple, list)) else (var,):
        add_output(t)
    resize_graph(dot)
    return dot


def size_to_str(size):
    """(3, 4) for a 3x4 tensor, () for a scalar: torch.Size's look, in both engines."""
    return "(" + ", ".join("%d" % v for v in size) + ")"


def node_label(fn, show_attrs=False, max_attr_chars=50):
    """The node's name as torch's Python class for it is named ('AddmmBackward0',
    'AccumulateGrad'), then with show_attrs a table of its op's attributes."""
    name = fn.name().rsplit("::", 1)[-1]  # torch::autograd::AccumulateGrad -> AccumulateGrad
    attrs = node_attrs(fn) if show_attrs else {}
    if not attrs:
        return name
    width = max(len(k) for k in attrs)
    value_width = min(max(len(v) for v in attrs.values()), max(max_attr_chars, 3))
    cut = lambda s: s[:value_width - 3] + "..." if len(s) > value_width else s  # noqa: E731
    rows = ["%-*s: %*s" % (width, k, value_width, cut(v)) for k, v in attrs.items()]
    return "\n".join([name, "-" * max(width + value_width + 2, len(name))] + rows)


# What the engine itself sets on every node (autograd/node.py), not the op: hidden, like
# the fields the engine declares on the node classes. (An AccumulateGrad's `variable` is
# drawn as its own box.)
ENGINE_FIELDS = {"sequence_nr", "needs_input_grad", "variable", "wrap"}


def node_attrs(fn):
    """{name: text} of what the op stored on its node (shape, dim, stride...): its instance
    attributes, less the engine's bookkeeping (declared on the node's class, in
    ENGINE_FIELDS, or starting with _). Arrays show as '[saved array(s)]', as torchviz
    shows tensors as '[saved tensor(s)]'."""
    attrs = {}
    for k, v in vars(fn).items():
        if k.startswith("_") or k in ENGINE_FIELDS or hasattr(type(fn), k):
            continue
        if isinstance(v, (np.ndarray, Tensor)):
            attrs[k] = "[saved array]"
        elif isinstance(v, (tuple, list)) and any(isinstance(a, (np.ndarray, Tensor)) for a in v):
            attrs[k] = "[saved arrays]"
        else:
            attrs[k] = str(v)
    return attrs


def resize_graph(dot, size_per_element=0.15, min_size=12):
    """Grow the drawing's size attribute with the number of statements, as torchviz does,
    so that big graphs are not squeezed into 12x12 inches."""
    size = max(min_size, len(dot.body) * size_per_element)
    dot.graph_attr.update(size="%s,%s" % (size, size))
