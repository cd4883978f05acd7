"""A model's graph for TensorBoard's Graphs tab, read off the autograd graph of one run.

torch traces the model with its JIT; minitorch has no tracer, but running the model once
records every differentiable op as a node (`out.grad_fn`, `next_functions`). Walking back
from the outputs gives the ops and how they connect. The nodes become a GraphDef:

    input/<arg>                  "IO Node"    each tensor passed to the model (named after
                                              forward's argument)
    Net/Linear[fc1]/weight       "Parameter"  each parameter reached, under its module path
    Net/Linear[fc1]/AddmmBackward0  the op's autograd node name, in the scope of the
                                 innermost submodule whose call made it (as torch's tracer
                                 scopes ops: `Net/MaxPool2d[pool]/...`); ops the model's own
                                 forward made are in its top level (`Net/ReluBackward0`)
    output/output.1              "IO Node"    each output

Every node carries its output shape (`_output_shapes`), which the Graphs tab shows on the
edges.
"""
import contextlib
import inspect

from tensorboard.compat.proto.attr_value_pb2 import AttrValue
from tensorboard.compat.proto.config_pb2 import RunMetadata
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.compat.proto.node_def_pb2 import NodeDef
from tensorboard.compat.proto.step_stats_pb2 import DeviceStepStats, StepStats
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboard.compat.proto.versions_pb2 import VersionDef

from ...autograd.node import AccumulateGrad
from ...autograd.grad_mode import enable_grad
from ...tensor import Tensor


def node_def(name, op, inputs=(), shape=None):
    attr = {}
    if shape is not None:
        dims = TensorShapeProto(dim=[TensorShapeProto.Dim(size=d) for d in shape])
        attr["_output_shapes"] = AttrValue(list=AttrValue.ListValue(shape=[dims]))
    return NodeDef(name=name, op=op, input=list(inputs), attr=attr)


def module_scopes(model, root):
    """{module path ('' for the model, 'fc1', 'features.0', ...): scope name
    ('Net', 'Net/Linear[fc1]', 'Net/Sequential[features]/Conv2d[0]', ...)}."""
    scopes = {"": root}
    named_modules = getattr(model, "named_modules", lambda: [("", model)])
    for path, module in named_modules():
        if path:
            parent, _, attr = path.rpartition(".")
            scopes[path] = f"{scopes[parent]}/{type(module).__name__}[{attr}]"
    return scopes


@contextlib.contextmanager
def eval_mode(model):
    """Run the model in eval mode (no dropout, running batch-norm stats), then restore it."""
    training = getattr(model, "training", None)
    if training is not None:
        model.train(False)
    try:
        yield
    finally:
        if training is not None:
            model.train(training)


def tensors_in(values):
    """The tensors among values, and in the lists and tuples among them."""
    found = []
    for value in values:
        if isinstance(value, Tensor):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(tensors_in(value))
    return found


@contextlib.contextmanager
def module_calls(model, scopes):
    """Note every submodule call while the model runs: yields a list that fills with
    (scope, input tensors, output tensors), one per call, in the order calls return
    (innermost first), through a forward hook on each submodule (removed afterwards)."""
    calls = []

    def noting(scope):
        def hook(module, args, kwargs, output):
            calls.append((scope, tensors_in((*args, *kwargs.values())), as_outputs(output)))
        return hook

    named_modules = getattr(model, "named_modules", lambda: [("", model)])
    with contextlib.ExitStack() as handles:
        for path, module in named_modules():
            if path:
                handles.enter_context(module.register_forward_hook(noting(scopes[path]),
                                                                   with_kwargs=True))
        yield calls


def op_scopes(calls):
    """{id of an autograd node: scope of the innermost module call that made it}. A call
    made the nodes between its outputs and its inputs; inner calls are listed first, so
    they keep theirs and the walk of an outer call passes through them."""
    scope_of = {}
    for scope, inputs, outputs in calls:
        stops = {id(t.grad_fn) for t in inputs if t.grad_fn is not None}
        seen = set()
        stack = [out.grad_fn for out in outputs if out.grad_fn is not None]
        while stack:
            node = stack.pop()
            if id(node) in seen or id(node) in stops or isinstance(node, AccumulateGrad):
                continue
            seen.add(id(node))
            scope_of.setdefault(id(node), scope)
            stack.extend(child for child, _, _ in node.inputs if child is not None)
    return scope_of


def as_args(input_to_model):
    if input_to_model is None:
        return ()
    if isinstance(input_to_model, (tuple, list)):
        return tuple(input_to_model)
    return (input_to_model,)


def as_outputs(result):
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, dict):
        return [v for v in result.values() if isinstance(v, Tensor)]
    return [v for v in result if isinstance(v, Tensor)]


def argument_names(model):
    """The names of forward's positional arguments ('x' for `def forward(self, x)`)."""
    try:
        signature = inspect.signature(getattr(model, "forward", model))
    except (TypeError, ValueError):
        return []
    return [p.name for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def graph(model, input_to_model=None):
    """Run `model(*input_to_model)` once and return (GraphDef, RunMetadata) for TensorBoard.

    Float inputs are passed as detached copies that require grad, so that they too appear
    in the autograd graph (as leaves) and can be drawn as the graph's input nodes."""
    root = type(model).__name__
    scopes = module_scopes(model, root)
    param_paths = {id(p): path for path, p in getattr(model, "named_parameters", list)()}
    args = tuple(a.detach().requires_grad_() if isinstance(a, Tensor) and a.is_floating_point()
                 else a for a in as_args(input_to_model))
    arg_names = argument_names(model)
    input_names = {id(a): "input/" + (arg_names[i] if i < len(arg_names) else f"input.{i + 1}")
                   for i, a in enumerate(args) if isinstance(a, Tensor)}
    with eval_mode(model), enable_grad(), module_calls(model, scopes) as calls:
        outputs = as_outputs(model(*args))
    scope_of = op_scopes(calls)

    names = {}  # id of an autograd node (of a leaf's tensor, for leaves) -> its NodeDef name
    nodes = []

    def unique(name):
        taken, candidate, n = set(names.values()), name, 0
        while candidate in taken:
            n += 1
            candidate = f"{name}_{n}"
        return candidate

    def param_scope(variable):
        return scopes[param_paths[id(variable)].rpartition(".")[0]]

    def visit_leaf(variable):
        if id(variable) in input_names:
            name, op = input_names[id(variable)], "IO Node"
        elif id(variable) in param_paths:
            name, op = f"{param_scope(variable)}/{param_paths[id(variable)].rpartition('.')[2]}", "Parameter"
        else:  # a tensor the model made itself and set requires_grad on
            name, op = unique(f"{root}/leaf"), "Parameter"
        names[id(variable)] = name
        nodes.append(node_def(name, op, shape=variable.shape))
        return name

    def visit(node, shape):
        """Name `node` after the nodes it reads (a post-order walk) and add its NodeDef."""
        if isinstance(node, AccumulateGrad):
            return names.get(id(node.variable)) or visit_leaf(node.variable)
        if id(node) in names:
            return names[id(node)]
        feeds = [(child, child_shape) for child, child_shape, _ in node.inputs if child is not None]
        inputs = [visit(child, child_shape) for child, child_shape in feeds]
        name = names[id(node)] = unique(f"{scope_of.get(id(node), root)}/{node.name()}")
        nodes.append(node_def(name, node.name(), inputs, shape))
        return name

    for i, out in enumerate(outputs):
        feeds = [visit(out.grad_fn, out.shape)] if out.grad_fn is not None else []
        nodes.append(node_def(f"output/output.{i + 1}", "IO Node", feeds, out.shape))
    unused_inputs = [node_def(input_names[id(a)], "IO Node", shape=a.shape)
                     for a in args if isinstance(a, Tensor) and id(a) not in names]
    # TensorBoard shows the graph as run on one device; minitorch runs on the CPU.
    stats = RunMetadata(step_stats=StepStats(dev_stats=[DeviceStepStats(device="/device:CPU:0")]))
    return GraphDef(node=unused_inputs + nodes, versions=VersionDef(producer=22)), stats
