"""summary(model, input_size): a model's layers in a table, as torchinfo prints it.

    from minitorch.summary import summary      # torch users: from torchinfo import summary
    summary(net, input_size=(4, 1, 28, 28))

runs the model once on zeros of that size and prints, for every module call in the order
the calls happen, the module's class, its depth and index, the shape of what it returned
and its parameter count; then the totals, the multiply-adds of the pass and the memory it
takes (input, activations kept for backward, parameters), in torchinfo's default table.

torchinfo finds the calls with forward hooks. minitorch's Module has none, so this module
wraps each submodule's `forward` for the while with an instance attribute (which
`module(x)` finds before the class's forward), as the TensorBoard graph writer does. The
same works on torch modules, so the main job prints the same table for torch's net (given
`input_data`: input_size makes minitorch tensors).
"""
import contextlib
import math

from .autograd import no_grad
from .creation import zeros

NAME_WIDTH, COLUMN_WIDTH = 40, 25       # torchinfo's defaults: layer column, others


class LayerRow:
    """One call of one module: what torchinfo's LayerInfo holds for the default columns."""

    def __init__(self, module, depth, recursive):
        self.module = module
        self.class_name = type(module).__name__
        self.depth = depth
        self.depth_index = None         # n-th row at this depth (set once all rows are in)
        self.children = []              # the rows under this one (all depths below)
        self.is_leaf = not any(True for _ in module.children())
        self.is_recursive = recursive   # the module already had a row: a second call
        self.output_size, self.output_bytes, self.macs = [], 0, 0
        params = list(module.named_parameters())
        self.num_params = sum(p.numel() for _, p in params)
        self.trainable_params = sum(p.numel() for _, p in params if p.requires_grad)
        self.param_bytes = sum(p.numel() * p.element_size() for _, p in params)

    def returned(self, output):
        """Note the shape and bytes of the call's output, and its multiply-adds, as
        torchinfo counts them: each weight or bias element once per output position (per
        pixel for convolutions, per row otherwise)."""
        self.output_size, element_size = shape_and_element_size(output)
        self.output_bytes = element_size * math.prod(self.output_size)
        for name, param in self.module.named_parameters():
            if name in ("weight", "bias"):
                positions = (self.output_size[:1] + self.output_size[2:]
                             if "Conv" in self.class_name else self.output_size[:1])
            elif "weight" in name or "bias" in name:
                positions = self.output_size[:2]
            else:
                continue
            self.macs += param.numel() * math.prod(positions)

    def leftover_params(self, trainable=False):
        """Parameters of this module that no row below it counts (a container's own)."""
        count = self.trainable_params if trainable else self.num_params
        return count - sum(
            (child.trainable_params if trainable else child.num_params) if child.is_leaf
            else child.leftover_params(trainable)
            for child in self.children if not child.is_recursive)

    def title(self):
        return self.class_name + (f": {self.depth}-{self.depth_index}" if self.depth else "")

    def name(self):
        """The title behind the tree's lines: '├─' at depth 1, '│    └─' at depth 2..."""
        tree = "" if self.depth == 0 else "├─" if self.depth == 1 else \
            "│    " * (self.depth - 1) + "└─"
        return tree + self.title()

    def params_text(self, at_max_depth):
        if self.num_params == 0:
            return "--"
        if self.is_recursive:
            return "(recursive)"
        if at_max_depth or self.is_leaf:
            count = f"{self.num_params:,}"
            return count if self.trainable_params else f"({count})"
        leftover = self.leftover_params()
        return f"{leftover:,}" if leftover > 0 else "--"


def shape_and_element_size(value):
    """The shape (a list) and bytes per element of a call's output: a tensor's own; of a
    list or tuple, its first tensor's; of a dict, its last value's (as torchinfo)."""
    if hasattr(value, "shape") and hasattr(value, "element_size"):
        return list(value.shape), value.element_size()
    if isinstance(value, dict) and value:
        return shape_and_element_size(list(value.values())[-1])
    if isinstance(value, (list, tuple)) and value:
        return shape_and_element_size(value[0])
    return [], 0


class ModelStatistics:
    """What summary() found; str() is torchinfo's table. Totals count each parameter once
    (a module called twice is not counted again); the forward/backward size counts the
    outputs of the layers that have parameters twice (the values and their gradients)."""

    def __init__(self, rows, input_bytes, max_depth):
        self.summary_list = rows
        self.max_depth = max_depth
        self.total_input = input_bytes
        self.total_params = self.trainable_params = self.total_mult_adds = 0
        self.total_param_bytes = self.total_output_bytes = 0
        for row in rows:
            if row.is_leaf:
                self.total_mult_adds += row.macs
                if row.num_params > 0:
                    self.total_output_bytes += 2 * row.output_bytes
            if row.is_recursive:
                continue
            if row.is_leaf:
                self.total_params += row.num_params
                self.trainable_params += row.trainable_params
                self.total_param_bytes += row.param_bytes
            else:
                self.total_params += max(row.leftover_params(), 0)
                self.trainable_params += max(row.leftover_params(trainable=True), 0)

    def __str__(self):
        # the layer column widens (to a multiple of 5) for long names or deep trees
        longest = max(len(row.title()) + 5 * row.depth + 1 for row in self.summary_list)
        name_width = NAME_WIDTH if longest < NAME_WIDTH else 5 * math.ceil(longest / 5)
        line = "=" * (name_width + 2 * COLUMN_WIDTH)

        def row_text(*cells):
            name, *columns = cells
            text = f"{name:<{name_width}} " + "".join(f"{c:<{COLUMN_WIDTH}} " for c in columns)
            return text.rstrip()
        layers = [row_text(row.name(), str(row.output_size) if row.output_size else "--",
                           row.params_text(row.depth == self.max_depth))
                  for row in self.summary_list if row.depth <= self.max_depth]
        sizes = [self.total_input, self.total_output_bytes, self.total_param_bytes]
        megabytes = [size / 1e6 for size in sizes + [sum(sizes)]]
        return "\n".join([
            line, row_text("Layer (type:depth-idx)", "Output Shape", "Param #"), line,
            *layers, line,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.total_params - self.trainable_params:,}",
            f"Total mult-adds {mult_adds_text(self.total_mult_adds)}", line,
            f"Input size (MB): {megabytes[0]:0.2f}",
            f"Forward/backward pass size (MB): {megabytes[1]:0.2f}",
            f"Params size (MB): {megabytes[2]:0.2f}",
            f"Estimated Total Size (MB): {megabytes[3]:0.2f}", line])

    __repr__ = __str__


def mult_adds_text(count):
    """'(M): 1.15', '(G): 2.30', ...: millions unless billions or trillions read better."""
    unit, scale = next((u, s) for u, s in (("T", 1e12), ("G", 1e9), ("M", 1e6))
                       if count >= s or u == "M")
    value = count / scale
    return f"({unit}): {int(value):,d}" if value.is_integer() else f"({unit}): {value:,.2f}"


@contextlib.contextmanager
def recording_calls(model):
    """Hook the model and every submodule (as torchinfo does) so that each call appends a
    LayerRow when it starts (so a container comes before what it calls) and fills in its
    output when it returns. Yields the list of rows; the hooks go away afterwards."""
    rows, seen = [], set()

    def started(module, depth):
        def pre_hook(module, args):
            rows.append(LayerRow(module, depth, recursive=id(module) in seen))
            seen.add(id(module))
            module_rows.setdefault(id(module), []).append(rows[-1])
        return pre_hook

    def returned(module, args, output):
        module_rows[id(module)].pop().returned(output)

    module_rows = {}   # id(module) -> its rows still waiting for their output (a stack)
    with contextlib.ExitStack() as handles:
        for path, module in model.named_modules():
            depth = 0 if path == "" else path.count(".") + 1
            handles.enter_context(module.register_forward_pre_hook(started(module, depth)))
            handles.enter_context(module.register_forward_hook(returned))
        yield rows


def add_uncalled_containers(rows, model):
    """Insert a row for each container that holds called modules but is never called
    itself (a ModuleList), right before the first of its modules, as torchinfo does."""
    parent = {id(child): module for module in model.modules() for child in module.children()}
    result, open_at, seen = [], {}, {id(row.module) for row in rows}
    for row in rows:
        ancestors, module = [], row.module          # from depth row.depth - 1 up to 1
        while id(module) in parent and parent[id(module)] is not model:
            module = parent[id(module)]
            ancestors.append(module)
        for depth, ancestor in reversed(list(zip(range(row.depth - 1, 0, -1), ancestors))):
            if open_at.get(depth) is not ancestor:
                result.append(LayerRow(ancestor, depth, recursive=id(ancestor) in seen))
                seen.add(id(ancestor))
                open_at[depth] = ancestor
        result.append(row)
        open_at = {d: m for d, m in open_at.items() if d < row.depth}
        open_at[row.depth] = row.module
    return result


def number_rows(rows):
    """Each row's index among the rows of its depth, and the rows below it."""
    counts = {}
    for i, row in enumerate(rows):
        counts[row.depth] = counts.get(row.depth, 0) + 1
        row.depth_index = counts[row.depth]
        below = []
        for later in rows[i + 1:]:
            if later.depth <= row.depth:
                break
            below.append(later)
        row.children = below


def summary(model, input_size=None, input_data=None, depth=3, dtypes=None, device=None,
            mode="eval", verbose=1):
    """Print (verbose=1, the default; 0 stays quiet) and return torchinfo's table for
    `model`: run once on `input_data` (a tensor, or a list of tensors, one per forward
    argument) or on zeros of `input_size` (one shape, or a list of shapes; float32 unless
    dtypes says), in eval mode (mode="train" for train mode), without gradients. Zeros,
    not torchinfo's random values: the shapes are the same, and the global random stream
    stays where it was, so a seeded run draws the same numbers with or without a summary.
    Rows deeper than `depth` are left out (their parameters count in their parent's)."""
    if (input_size is None) == (input_data is None):
        raise ValueError("summary needs exactly one of input_size and input_data")
    if input_data is None:
        shapes = [input_size] if all(isinstance(s, int) for s in input_size) else input_size
        dtypes = dtypes or [None] * len(shapes)
        input_data = [zeros(*shape, dtype=dtype, device=device)
                      for shape, dtype in zip(shapes, dtypes)]
    inputs = list(input_data) if isinstance(input_data, (list, tuple)) else [input_data]
    input_bytes = sum(x.numel() * x.element_size() for x in inputs)
    was_training = model.training
    model.train(mode == "train")
    try:
        with recording_calls(model) as rows, no_grad():
            model(*inputs)
    finally:
        model.train(was_training)
    rows = add_uncalled_containers(rows, model)
    number_rows(rows)
    statistics = ModelStatistics(rows, input_bytes, depth)
    if verbose:
        print(statistics)
    return statistics
