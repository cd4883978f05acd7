"""Every error text minitorch shows a user, in one place: torch's wording, built by name.

Each function returns the exception (torch's type, torch's message), and the caller
raises it: `raise errors.broadcast_mismatch(a.shape, b.shape)`. A reader of an op sees
what goes wrong in one named line; a reader of this file sees every message once; a test
finds the message it checks here. Where torch's text names something minitorch does not
have, the message says what minitorch does instead.

The sections follow the package: the tensor and autograd first, then one per op family.
"""
from . import dtypes


# ---- shapes and dims (shared by every family) ----------------------------------------------

def broadcast_mismatch(a, b):
    """Two shapes that do not broadcast together."""
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            return RuntimeError(f"The size of tensor a ({a[-i]}) must match the size of tensor b "
                                f"({b[-i]}) at non-singleton dimension {max(len(a), len(b)) - i}")
    return RuntimeError(f"shapes {list(a)} and {list(b)} cannot be broadcast together")


def output_shape_mismatch(target, broadcast):
    """An in-place result whose broadcast shape is not the written tensor's."""
    return RuntimeError(f"output with shape {list(target)} doesn't match the broadcast shape "
                        f"{list(broadcast)}")


def dim_out_of_range(dim, lo, hi):
    return IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                      f"but got {dim})")


# ---- the tensor ----------------------------------------------------------------------------

def grad_not_a_tensor(value):
    return TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                     f"type {type(value).__name__}")


def grad_wrong_size(grad_shape, shape):
    return RuntimeError(f"attempting to assign a gradient of size '{list(grad_shape)}' "
                        f"to a tensor of size '{list(shape)}'. Please ensure that "
                        "the gradient and the tensor are the same size")


def grad_wrong_dtype(grad_dtype, dtype):
    # torch goes on to explain its `grad_dtype` attribute; minitorch has none: a gradient
    # always has its tensor's dtype
    return RuntimeError(f"attempting to assign a gradient with dtype "
                        f"'{dtypes.c_type_name(grad_dtype)}' to a tensor with dtype "
                        f"'{dtypes.scalar_name(dtype)}'. The gradient must match the tensor's "
                        "dtype.")


def requires_grad_of_non_float(setter=False):
    if setter:  # torch words `t.requires_grad = True` and requires_grad_() differently
        return RuntimeError("only Tensors of floating point and complex dtype can require "
                            "gradients")
    return RuntimeError("only Tensors of floating point dtype can require gradients")


def requires_grad_of_non_leaf():
    return RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                        "want to use a computed variable in a subgraph that doesn't require "
                        "differentiation use var_no_grad = var.detach().")


def numpy_of_tensor_requiring_grad():
    return RuntimeError("Can't call numpy() on Tensor that requires grad. "
                        "Use tensor.detach().numpy() instead.")


def item_of_many(numel):
    return RuntimeError(f"a Tensor with {numel} elements cannot be converted to Scalar")


def scalar_of_many():
    return ValueError("only one element tensors can be converted to Python scalars")


def bool_of_many():
    return RuntimeError("Boolean value of Tensor with more than one value is ambiguous")


def index_of_non_integer():
    return TypeError("only integer tensors of a single element can be converted to an index")


def len_of_0d():
    return TypeError("len() of a 0-d tensor")


def iteration_over_0d():
    return TypeError("iteration over a 0-d tensor")


def mT_of_vector(ndim):
    return RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                        f"Got {ndim}-D tensor.")


def device_not_available(device):
    return RuntimeError(f"device '{device}' is not available: minitorch computes on 'cpu' only "
                        "(minitorch.cuda.is_available() is False)")


# ---- creating tensors (creation.py) -------------------------------------------------------

def size_not_integers(item):
    return TypeError(f"expected a sequence of integers as the size, but got {type(item).__name__}")


def negative_dimension(dim, size):
    return RuntimeError(f"Trying to create tensor with negative dimension {dim}: {list(size)}")


def ragged_sequence(dim, expected, got):
    """Nested lists of unequal lengths."""
    return ValueError(f"expected sequence of length {expected} at dim {dim} (got {got})")


def not_a_sequence():
    """A number where nested lists have sequences."""
    return TypeError("not a sequence")


def ragged_sequence_of_scalar(dim, expected, got):
    """A scalar where a sequence was expected (or the other way round), nested below."""
    return TypeError(f"expected sequence of length {expected} at dim {dim} (got {got})")


def cannot_infer_dtype(value):
    return TypeError(f"Could not infer dtype of {type(value).__name__}")


def not_a_numpy_array(value):
    return TypeError(f"expected np.ndarray (got {type(value).__name__})")


def negative_numpy_strides():
    return ValueError("At least one stride in the given numpy array is negative, and tensors "
                      "with negative strides are not currently supported. (You can probably "
                      "work around this by making a copy of your array  with array.copy().) ")


def zero_step():
    return RuntimeError("step must be nonzero")


def not_implemented_for(kernel, np_dtype):
    """torch's error naming its kernel, for a dtype the kernel has no version for."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{dtypes.scalar_name(np_dtype)}\'')


def random_range_empty(low, high):
    return RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                        f"to={high}")


def seed_not_an_integer(seed):
    return RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")


def integer_overflow():
    """A Python int too large for int64 (a seed, a tensor's value)."""
    return ValueError("Overflow when unpacking long long")


def negative_steps():
    return RuntimeError("number of steps must be non-negative")


def cannot_allocate(nbytes):
    return RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                        f"{nbytes} bytes.")


def rng_state_not_a_tensor(value):
    return TypeError(f"expected a minitorch.ByteTensor, but got {type(value).__name__}")


def rng_state_not_bytes():
    return TypeError("RNG state must be a minitorch.ByteTensor")


def rng_state_wrong_size(expected, got):
    return RuntimeError(f"Expected a Generator state of size {expected} but found "
                        f"the input RNG state size to be {got}")


# ---- autograd ------------------------------------------------------------------------------

def backward_through_freed_graph():
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Saved intermediate values of the "
        "graph are freed when you call .backward() or autograd.grad(). Specify "
        "retain_graph=True if you need to backward through the graph a second time or "
        "if you need to access saved tensors after calling backward.")


def saved_tensor_modified(type_name, shape, producer, version, expected):
    """A tensor saved for backward was changed in place before backward ran."""
    out_of = f", which is output 0 of {producer}," if producer is not None else ""
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by "
        f"an inplace operation: [{type_name} {list(shape)}]{out_of} is "
        f"at version {version}; expected version {expected} instead. Hint: enable anomaly "
        "detection to find the operation that failed to compute its gradient, with "
        "minitorch.autograd.set_detect_anomaly(True, check_nan=False).")


def implicit_grad_of_non_scalar():
    return RuntimeError("grad can be implicitly created only for scalar outputs")


def output_without_grad(i):
    return RuntimeError(f"element {i} of tensors does not require grad and does not have a "
                        "grad_fn")


def wrong_number_of_gradients(who, n_grads, n_outputs):
    return RuntimeError(f"{who}: got {n_grads} gradients for {n_outputs} outputs")


def gradient_shape_mismatch(i, grad_shape, output_shape):
    return RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {grad_shape!r} "
                        f"and output[{i}] has a shape of {output_shape!r}.")


def input_without_grad():
    return RuntimeError("One of the differentiated Tensors does not require grad")


def input_not_in_graph(i):
    return RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                        "been used in the graph. Set allow_unused=True if this is the "
                        "desired behavior.")


def create_graph_not_supported():
    return NotImplementedError("minitorch computes gradients with numpy, outside the graph: "
                               "create_graph=True (higher-order gradients) is not supported")


def nan_in_gradient(node_name, i):
    return RuntimeError(f"Function '{node_name}' returned nan values in its {i}th output.")


def retain_grad_without_grad():
    return RuntimeError("can't retain_grad on Tensor that has requires_grad=False")


def hook_without_grad():
    return RuntimeError("cannot register a hook on a tensor that doesn't require gradient")


def hook_changed_size(hook):
    return RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has changed the size of value")


def hook_changed_type(hook, was, got):
    return RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has changed the type of value "
                        f"(was {dtypes.tensor_type_name(was)} got {dtypes.tensor_type_name(got)})")


# ---- in-place writes and views -------------------------------------------------------------

def inplace_on_leaf():
    return RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                        "operation.")


def inplace_on_view_of_leaf():
    return RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation.")


def result_type_cannot_be_cast(result, target):
    """An in-place result of a wider dtype category than the tensor it is written into."""
    return RuntimeError(f"result type {dtypes.scalar_name(result)} can't be cast to "
                        f"the desired output type {dtypes.scalar_name(target)}")


def write_to_overlapping_memory():
    return RuntimeError("unsupported operation: more than one element of the written-to "
                        "tensor refers to a single memory location. Please clone() the "
                        "tensor before performing the operation.")


# ---- elementwise ops (facade/elementwise.py) --------------------------------------------------


# ---- reductions, softmax, matrix products (facade/reduce.py, softmax.py, linalg.py) ------------


# ---- shapes and indexing (facade/shape.py) ------------------------------------------------------


# ---- nn.functional: convolution, pooling, losses, dropout, interpolation ------------------------
