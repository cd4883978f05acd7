"""Every error text minitorch shows a user, in one place: torch's wording, built by name.

Each function returns the exception (torch's type, torch's message), and the caller
raises it: `raise errors.broadcast_mismatch(a.shape, b.shape)`. A reader of an op sees
what goes wrong in one named line; a reader of this file sees every message once; a test
finds the message it checks here. Where torch's text names something minitorch does not
have, the message says what minitorch does instead.

The sections follow the package: the tensor and autograd first, then one per op family.
"""
import pickle

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


def requires_grad_at_creation():
    """tensor(..., requires_grad=True) of integers (torch's creation functions and
    Parameter say it with a capital)."""
    return RuntimeError("Only Tensors of floating point and complex dtype can require "
                        "gradients")


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


# what a node's backward returns (autograd/engine.py, autograd/custom_function.py)

def invalid_gradient_shape(node_name, index, got, expected):
    """A backward returned, for input `index`, a gradient that neither has the input's
    shape nor sums down to it (torch's engine checks every node's outputs)."""
    return RuntimeError(f"Function {node_name} returned an invalid gradient at index {index} - "
                        f"got {list(got)} but expected shape compatible with {list(expected)}")


def wrong_number_of_gradients_returned(node_name, expected, got):
    return RuntimeError(f"function {node_name} returned an incorrect number of gradients "
                        f"(expected {expected}, got {got})")


def gradient_for_non_tensor_input(node_name, position):
    return RuntimeError(f"function {node_name} returned a gradient different than None at "
                        f"position {position}, but the corresponding forward input was not a "
                        "Variable")


def gradient_not_a_tensor(value):
    """Named as CPython's tp_name names the type (what torch prints): a class defined in
    Python by its bare name, a C type with its module (numpy.ndarray)."""
    kind = type(value)
    heap_type = kind.__flags__ & (1 << 9)  # Py_TPFLAGS_HEAPTYPE: defined in Python
    name = kind.__name__ if heap_type or kind.__module__ == "builtins" else \
        f"{kind.__module__}.{kind.__name__}"
    return RuntimeError(f"expected Variable or None (got {name})")


# inference tensors (autograd/views.py, rule 5)

def inference_tensor_saved_for_backward():
    return RuntimeError(
        "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
        "inference mode in computation tracked by autograd. To work around this, you can make "
        "a clone to get a normal tensor and use it in autograd, or use `minitorch.no_grad()` "
        "instead of `minitorch.inference_mode()`.")


def inplace_update_to_inference_tensor():
    return RuntimeError(
        "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
        "clone to get a normal tensor before doing inplace update.See "
        "https://github.com/pytorch/rfcs/pull/17 for more details.")


def requires_grad_on_inference_tensor():
    return RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is "
                        "not allowed.")


def inference_tensor_version_counter():
    return RuntimeError("Inference tensors do not track version counter.")


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

def integer_division_by_zero():
    """Integer division (//, rounding_mode='trunc'/'floor') by 0: integers have no inf."""
    return RuntimeError("ZeroDivisionError")


def negative_integer_power():
    """An integer tensor to a negative Python int (a tensor of exponents truncates instead)."""
    return RuntimeError("Integers to negative integer powers are not allowed.")


def subtraction_of_bools():
    return NotImplementedError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")

def unsupported_operand_type(value):
    """A tensor combined with something that is neither a tensor nor a number."""
    return TypeError(f"unsupported operand type: Tensor and {type(value).__name__}")


def unknown_rounding_mode(mode):
    return RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                        f"found '{mode}'")


def negation_of_bool():
    return NotImplementedError("Negation, the `-` operator, on a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead.")


def relu_of_bool():
    return NotImplementedError("Boolean inputs not supported for relu")


def clamp_without_bounds():
    return RuntimeError("minitorch.clamp: At least one of 'min' or 'max' must not be None")


def where_condition_not_bool(np_dtype):
    return RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                        f"with dtype {dtypes.scalar_name(np_dtype)}")


# ---- reductions, softmax, matrix products (facade/reduce.py, softmax.py, linalg.py) ------------

def dim_repeated(dim):
    return RuntimeError(f"dim {dim} appears multiple times in the list of dims")


def reduction_of_non_float(op, np_dtype):
    """mean() of an integer or bool tensor."""
    return RuntimeError(f"{op}(): could not infer output dtype. Input dtype must be either a "
                        f"floating point or complex dtype. Got: {dtypes.scalar_name(np_dtype)}")


def var_of_non_float():
    return RuntimeError("std and var only support floating point and complex dtypes")


def norm_of_non_float(np_dtype):
    return RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                        f"input. Got {dtypes.scalar_name(np_dtype)}")


def reduction_over_empty(op, dim=None):
    """Reducing all of an empty tensor (dim None), or a dim of size 0."""
    if dim is None:
        return IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() "
                          "== 0.")
    return IndexError(f"{op}(): Expected reduction dim {dim} to have non-zero size.")


def extreme_of_empty(op):
    """max() or min() of all elements of an empty tensor."""
    return RuntimeError(f"{op}(): Expected reduction dim to be specified for input.numel() == "
                        "0. Specify the reduction dim with the 'dim' argument.")


def arg_extreme_of_bool(op):
    return RuntimeError(f"{op}(): does not support bool input")


def implicit_softmax_dim(op):
    """A warning, not an error: softmax without a dim picks one the legacy way."""
    return UserWarning(f"Implicit dimension choice for {op} has been deprecated. Change the "
                       "call to include dim=X as an argument.")


def softmax_of_non_float(op, lastdim, np_dtype):
    """torch's kernel names itself, "_lastdim" when dim is the last one."""
    kernel = f"{op}{'_lastdim' if lastdim else ''}_kernel_impl"
    return NotImplementedError(f'"{kernel}" not implemented for '
                               f"'{dtypes.scalar_name(np_dtype)}'")


def _shape_str(shape):
    return "x".join(map(str, shape))


def matmul_of_0d(ndim_a, ndim_b):
    return RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                        f"{ndim_a}D and {ndim_b}D")


def matmul_dtype_mismatch(dtype_a, dtype_b):
    return RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                        f"{dtypes.c_type_name(dtype_a)} != {dtypes.c_type_name(dtype_b)}")


def dot_dtype_mismatch(dtype_a, dtype_b):
    return RuntimeError("dot : expected both vectors to have same dtype, but found "
                        f"{dtypes.scalar_name(dtype_a)} and {dtypes.scalar_name(dtype_b)}")


def mv_dtype_mismatch(mat_dtype, vec_dtype):
    # (torch's text names its result's dtype, the vector's, first)
    return RuntimeError(f"addmv input tensors must have the same dtype, but got "
                        f"{dtypes.scalar_name(vec_dtype)}, {dtypes.scalar_name(mat_dtype)}, and "
                        f"{dtypes.scalar_name(vec_dtype)}")


def bmm_dtype_mismatch(dtype_a, dtype_b):
    return RuntimeError(f"expected scalar type {dtypes.scalar_name(dtype_a)} but found "
                        f"{dtypes.scalar_name(dtype_b)}")


def mm_shapes_mismatch(shape1, shape2):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                        f"({_shape_str(shape1)} and {_shape_str(shape2)})")


def bmm_size_mismatch(expected, got):
    """expected, got: (batch, rows) of batch2."""
    return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                        f"[{expected[0]}, {expected[1]}] but got: [{got[0]}, {got[1]}].")


def dot_size_mismatch(n_a, n_b):
    return RuntimeError(f"inconsistent tensor size, expected tensor [{n_a}] and src [{n_b}] to "
                        f"have the same number of elements, but got {n_a} and {n_b} elements "
                        "respectively")


def mv_size_mismatch(mat_shape, vec_len):
    return RuntimeError(f"size mismatch, got input ({mat_shape[0]}), mat "
                        f"({_shape_str(mat_shape)}), vec ({vec_len})")


def not_a_matrix(name):
    """mm's operands: name is "self" or "mat2"."""
    return RuntimeError(f"{name} must be a matrix")


def not_a_batch_of_matrices(name):
    """bmm's operands: name is "batch1" or "batch2"."""
    return RuntimeError(f"{name} must be a 3D tensor")


def dot_of_non_vectors(ndim_a, ndim_b):
    return RuntimeError(f"1D tensors expected, but got {ndim_a}D and {ndim_b}D tensors")


def mv_of_wrong_dims(mat_ndim, vec_ndim):
    # (torch's text counts the dims of its result, a vector, then the operands')
    return RuntimeError(f"vector + matrix @ vector expected, got 1, {mat_ndim}, {vec_ndim}")


def addmm_not_a_matrix(name, ndim):
    return RuntimeError(f"{name} must be a matrix, got {ndim}-D tensor")


def addmm_dtype_mismatch(name, dtype, mat2_dtype):
    """name: "mat1", or "self" (the added input)."""
    return RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                        f"{dtypes.scalar_name(dtype)} and {dtypes.scalar_name(mat2_dtype)}")


# ---- shapes and indexing (facade/shape.py) ------------------------------------------------------

# shapes: view, reshape, flatten, permute, t, expand

def shape_with_two_inferred_dims():
    return RuntimeError("only one dimension can be inferred")


def shape_invalid_for_size(shape, numel):
    """A requested shape (with at most one -1) that cannot hold numel elements."""
    return RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def view_as_dtype():
    return RuntimeError("minitorch does not support view(dtype)")


def view_needs_copy():
    """view() of a layout that cannot take the new shape without copying."""
    return RuntimeError("view size is not compatible with input tensor's size and stride "
                        "(at least one dimension spans across two contiguous subspaces). "
                        "Use .reshape(...) instead.")


def flatten_start_after_end():
    return RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")


def permute_wrong_number_of_dims(ndim, n_dims):
    return RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                        f"not match the length of the desired ordering of dimensions i.e. "
                        f"input.dim() = {ndim} is not equal to len(dims) = {n_dims}")


def permute_duplicate_dims():
    return RuntimeError("permute(): duplicate dims are not allowed.")


def t_of_more_than_2d(ndim):
    return RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")


def expand_to_fewer_dims(dtype, shape, sizes):
    return RuntimeError(f"expand({dtypes.tensor_type_name(dtype)}{{{list(shape)}}}, "
                        f"size={list(sizes)}): the number of sizes provided ({len(sizes)}) "
                        f"must be greater or equal to the number of dimensions in the tensor "
                        f"({len(shape)})")


def expand_new_dim_of_minus_one(dim):
    return RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                        f"non-existing dimension {dim}")


def expand_size_mismatch(wanted, size, dim, sizes, shape):
    """expand() asked to change a dim that is not of size 1."""
    return RuntimeError(f"The expanded size of the tensor ({wanted}) must match the existing "
                        f"size ({size}) at non-singleton dimension {dim}.  Target sizes: "
                        f"{list(sizes)}.  Tensor sizes: {list(shape)}")


# joining and cutting: cat, stack, narrow, split, chunk

def cat_of_no_tensors():
    return ValueError("minitorch.cat(): expected a non-empty list of Tensors")


def copy_from_partly_overlapping_memory():
    """x[1:].copy_(x[:-1]): the source would be overwritten while it is read."""
    return RuntimeError("unsupported operation: some elements of the input tensor and the "
                        "written-to tensor refer to a single memory location. Please clone() "
                        "the tensor before performing the operation.")


def cat_of_0d(position):
    return RuntimeError(f"zero-dimensional tensor (at position {position}) cannot be "
                        "concatenated")


def cat_ndim_mismatch(ndim, other_ndim):
    return RuntimeError(f"Tensors must have same number of dimensions: got {ndim} and "
                        f"{other_ndim}")


def cat_size_mismatch(dim, expected, got, position):
    return RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected "
                        f"size {expected} but got size {got} for tensor number {position} in "
                        "the list.")


def stack_of_no_tensors():
    return RuntimeError("stack expects a non-empty TensorList")


def stack_size_mismatch(first_shape, shape, position):
    return RuntimeError(f"stack expects each tensor to be equal size, but got "
                        f"{list(first_shape)} at entry 0 and {list(shape)} at entry {position}")


def narrow_out_of_range(start, length, size):
    return RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")


def split_size_zero(size):
    """split(0) of a dim that is not empty (or a negative split size)."""
    return RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                        f"size of {size}")


def split_sizes_wrong_sum(size, dim, sizes):
    return RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                        f"tensor's size at dimension {dim}), but got split_sizes={sizes}")


def chunk_count_not_positive(chunks):
    return RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")


# indexing: t[index] and t[index] = values

def index_of_invalid_type(type_name):
    return IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                      f"Variables are valid indices (got {type_name})")


def index_tensor_of_wrong_dtype():
    return IndexError("tensors used as indices must be long, int, byte or bool tensors")


def slice_step_not_positive():
    return ValueError("step must be greater than zero")


def index_out_of_bounds(index, dim, size):
    return IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def too_many_indices(ndim):
    return IndexError(f"too many indices for tensor of dimension {ndim}")


def mask_shape_mismatch(mask_shape, mask_dim, shape, dim):
    """A bool mask whose size at mask_dim differs from the indexed tensor's at dim (torch
    counts the tensor's dims after its int indices selected and its Nones were added)."""
    return IndexError(f"The shape of the mask {list(mask_shape)} at index {mask_dim} does not "
                      f"match the shape of the indexed tensor {list(shape)} at index {dim}")


def index_put_dtype_mismatch(destination, source):
    return RuntimeError(f"Index put requires the source and destination dtypes match, got "
                        f"{dtypes.scalar_name(destination)} for the destination and "
                        f"{dtypes.scalar_name(source)} for the source.")


def index_put_shape_mismatch(value_shape, target_shape):
    return RuntimeError(f"shape mismatch: value tensor of shape {list(value_shape)} cannot be "
                        f"broadcast to indexing result of shape {list(target_shape)}")


# ---- nn.functional: convolution, pooling, losses, dropout, interpolation ------------------------

# dropout and linear

def dropout_probability(p, in_kernel=False):
    """torch checks p in Python (ValueError); a nan gets through to its kernel (RuntimeError)."""
    kind = RuntimeError if in_kernel else ValueError
    return kind(f"dropout probability has to be between 0 and 1, but got {p}")


def linear_of_0d(input_ndim, weight_ndim):
    return RuntimeError("both arguments to linear need to be at least 1D, but they are "
                        f"{input_ndim}D and {weight_ndim}D")


def scalar_type_mismatch(expected, found):
    """An operand (conv's weight, a loss's class weight) whose dtype is not the input's."""
    return RuntimeError(f"expected scalar type {dtypes.scalar_name(expected)} but found "
                        f"{dtypes.scalar_name(found)}")


# convolution

def conv2d_input_rank(shape):
    return RuntimeError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                        f"input of size: {list(shape)}")


def conv_bias_dtype(input_dtype, bias_dtype):
    return RuntimeError(f"Input type ({dtypes.c_type_name(input_dtype)}) and bias type "
                        f"({dtypes.c_type_name(bias_dtype)}) should be the same")


def conv_weight_rank():
    return RuntimeError("weight should have at least three dimensions")


def conv_groups_not_positive():
    return RuntimeError("non-positive groups is not supported")


def conv_stride_not_positive():
    return RuntimeError("non-positive stride is not supported")


def conv_padding_negative():
    return RuntimeError("negative padding is not supported")


def conv_dilation_negative():
    return RuntimeError("dilation should be greater than zero")


def conv_dilation_zero():
    return RuntimeError("non-positive dilation is not supported")


def conv_weight_fewer_than_groups(groups, weight_shape):
    return RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                        f"dimension 0, but got weight of size {list(weight_shape)} instead")


def conv_weight_not_divisible_by_groups(groups, weight_shape):
    # (torch's message has the size in double brackets)
    return RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                        f"at dimension 0, but got weight of size [{list(weight_shape)}] instead")


def conv_channels_mismatch(groups, weight_shape, input_shape, expected, got):
    return RuntimeError(f"Given groups={groups}, weight of size {list(weight_shape)}, "
                        f"expected input{list(input_shape)} to have {expected} channels, "
                        f"but got {got} channels instead")


def conv_bias_shape(weight_shape, out_channels, bias_shape):
    return RuntimeError(f"Given weight of size {list(weight_shape)}, expected bias to be "
                        f"1-dimensional with {out_channels} elements, but got bias of size "
                        f"{list(bias_shape)} instead")


def conv_kernel_larger_than_input(padded_size, kernel_size):
    """(height, width) of the padded input and of the dilated kernel."""
    return RuntimeError(f"Calculated padded input size per channel: ({padded_size[0]} x "
                        f"{padded_size[1]}). Kernel size: ({kernel_size[0]} x {kernel_size[1]}). "
                        "Kernel size can't be greater than actual input size")


def conv_argument_length(name, dims, value):
    """stride, padding or dilation with neither 1 nor `dims` values."""
    return RuntimeError(f"expected {name} to be a single integer value or a list of {dims} "
                        f"values to match the convolution dimensions, but got "
                        f"{name}={list(value)}")


def conv_padding_string(padding):
    return RuntimeError(f"Invalid padding string: '{padding}'")


def conv_same_padding_with_stride():
    return RuntimeError("padding='same' is not supported for strided convolutions")


# pooling

def pool_argument_not_a_pair(function, argument):
    """kernel_size, stride, padding or dilation of neither 1 nor 2 values."""
    allowed = {"stride": "either be omitted, a single int",
               "dilation": "be either a single int"}.get(argument, "either be a single int")
    return RuntimeError(f"{function}: {argument} must {allowed}, or a tuple of two ints")


def max_pool2d_input_rank():
    return RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")


def pool_stride_zero():
    return RuntimeError("stride should not be zero")


def pool_padding_negative(pad):
    return RuntimeError(f"pad must be non-negative, but got pad: {pad}")


def pool_padding_over_half_dilated_kernel(pad, kernel, dilation):
    return RuntimeError("pad should be at most half of effective kernel size, but got "
                        f"pad={pad}, kernel_size={kernel} and dilation={dilation}")


def pool_kernel_not_positive(kh, kw):
    return RuntimeError(f"kernel size should be greater than zero, but got kH: {kh} kW: {kw}")


def pool_stride_not_positive(sh, sw):
    return RuntimeError(f"stride should be greater than zero, but got dH: {sh} dW: {sw}")


def pool_dilation_not_positive(dh, dw):
    return RuntimeError("dilation should be greater than zero, but got dilationH: "
                        f"{dh} dilationW: {dw}")


def pool_input_rank(shape):
    """Not 3-D or 4-D, or empty in a dim other than the batch."""
    return RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                        f"size for input, but got:{list(shape)}")


def pool_padding_over_half_kernel(ph, pw, kh, kw):
    return RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                        f"padW = {pw}, padH = {ph}, kW = {kw}, kH = {kh}")


def pool_output_too_small(channels, size, out_size):
    """(height, width) of the input and of the computed output."""
    return RuntimeError(f"Given input size: ({channels}x{size[0]}x{size[1]}). Calculated "
                        f"output size: ({channels}x{out_size[0]}x{out_size[1]}). Output size "
                        "is too small")


def avg_pool_divisor_zero():
    return RuntimeError("divisor must be not zero")


# losses

def invalid_reduction(reduction):
    return ValueError(f"{reduction} is not a valid value for reduction")


def loss_input_of_0d(ndim):
    return ValueError(f"Expected 1 or more dimensions (got {ndim})")


def loss_batch_size_mismatch(input_batch, target_batch):
    return ValueError(f"Expected input batch_size ({input_batch}) to match target "
                      f"batch_size ({target_batch}).")


def spatial_target_rank(ndim):
    return RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                        f"targets of dimension: {ndim}")


def spatial_target_size_mismatch(input_shape, target_shape):
    # (torch's message lacks the closing parenthesis)
    return RuntimeError(f"size mismatch (got input: {list(input_shape)} , target: "
                        f"{list(target_shape)}")


def target_size_mismatch(expected, got):
    return RuntimeError(f"Expected target size {list(expected)}, got {list(got)}")


def multi_target():
    return RuntimeError("0D or 1D target tensor expected, multi-target not supported")


def unbatched_target_size(size):
    return ValueError(f"For 1D input, 1D target must have size 1, but got target size: {size}")


def nll_loss_weight_requires_grad():
    return RuntimeError("The function 'nll_loss_forward' is not differentiable with respect "
                        "to argument 'weight'. This input cannot have requires_grad True.")


def class_target_dtype(np_dtype):
    return RuntimeError("expected target dtype to be Long or Byte, but got "
                        f"{dtypes.scalar_name(np_dtype)}")


def class_weight_shape(n_classes, shape, function=None):
    prefix = f"{function}: " if function else ""
    return RuntimeError(f"{prefix}weight tensor should be defined either for all {n_classes} "
                        f"classes or no classes but got weight tensor of shape: {list(shape)}")


def target_out_of_bounds(target):
    return IndexError(f"Target {target} is out of bounds.")


def label_smoothing_out_of_range(label_smoothing):
    return RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


def probability_target_dtype(np_dtype):
    return RuntimeError("Expected floating point type for target with class probabilities, "
                        f"got {dtypes.scalar_name(np_dtype)}")


def class_dim_of_0d():
    return IndexError("Dimension specified as 1 but tensor has no dimensions")


def ignore_index_with_probability_target():
    return RuntimeError("ignore_index is not supported for floating point target")


# interpolation (vision/interpolation.py: Resize on tensors)

def interpolate_spatial_dims(input_spatial_shape, size):
    return ValueError(
        "Input and output must have the same number of spatial dimensions, but got "
        f"input with spatial dimensions of {list(input_spatial_shape)} and output size of "
        f"{size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
        "output size in (o1, o2, ...,oK) format.")


def interpolate_size_types(size):
    return TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                     f"Tuple[int, int, int], but got size with types {[type(s) for s in size]}")


def antialias_mode():
    return ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                      "and requires a 4-D tensor as input")


def lanczos_without_antialias():
    return ValueError("Lanczos mode requires antialias=True")


def interpolate_unknown_mode(ndim, modes, mode):
    return NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                               f"{ndim}D) for the modes: {' | '.join(modes)} (got {mode})")


def resample_mode_not_implemented(mode, antialias):
    """A mode torch has that minitorch's resampling does not."""
    return NotImplementedError(f"resample: mode {mode!r} with antialias={antialias} "
                               "is not implemented in minitorch")


def interpolate_size_not_positive(size, out_size):
    """(height, width) of the input and of the asked-for output."""
    return RuntimeError("Input and output sizes should be greater than 0, but got input "
                        f"(H: {size[0]}, W: {size[1]}) output (H: {out_size[0]}, W: "
                        f"{out_size[1]})")


# ---- indexing and sorting: gather, scatter, index_select, masked_fill, topk, sort, one_hot ----

def argument_not_a_tensor(function, argument, value):
    """A list or number where torch's signature wants a tensor. (torch's parser also says
    the argument's position, which differs between torch.f(x, ...) and x.f(...); minitorch's
    functions and methods are one function, so the position is left out.)"""
    return TypeError(f"{function}(): argument '{argument}' must be Tensor, not "
                     f"{type(value).__name__}")


def argument_not_an_int(function, argument, value):
    return TypeError(f"{function}(): argument '{argument}' must be int, not {type(value).__name__}")


def index_dtype_not_integer(function):
    """gather's and scatter's index must be int64 or int32."""
    return RuntimeError(f"{function}(): Expected dtype int32/int64 for index")


def index_ndim_mismatch(other):
    """other: 'input' (gather), 'self' or 'src' (scatter)."""
    return RuntimeError(f"Index tensor must have the same number of dimensions as {other} tensor")


def gather_index_too_large(dim, index_shape, shape, gather_dim):
    return RuntimeError(f"Size does not match at dimension {dim} expected index "
                        f"{list(index_shape)} to be no larger than self {list(shape)} apart "
                        f"from dimension {gather_dim}")


def scatter_index_too_large(index_shape, shape, dim, src_shape=None):
    src = "" if src_shape is None else f" and to be no larger size than src {list(src_shape)}"
    return RuntimeError(f"Expected index {list(index_shape)} to be no larger than self "
                        f"{list(shape)} apart from dimension {dim}{src}")


def scatter_src_dtype_mismatch():
    return RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")


def scatter_reduce_invalid():
    return RuntimeError("reduce argument must be either add or multiply.")


def scatter_reduce_deprecated():
    """The warning torch gives for scatter(..., src, reduce=...). (torch points to its
    scatter_reduce, which minitorch does not have.)"""
    return UserWarning("The reduce argument of minitorch.scatter with Tensor src is deprecated "
                       "and will be removed in a future PyTorch release. (torch suggests "
                       "torch.scatter_reduce, which minitorch does not have; scatter_add does "
                       "what reduce='add' does.)")


def scatter_invalid_arguments():
    """scatter given neither src nor value, or both. (torch's parser goes on to list the
    argument types it got; minitorch lists the forms it takes.)"""
    return TypeError("scatter() received an invalid combination of arguments - expected one "
                     "of: (Tensor input, int dim, Tensor index, Tensor src, *, str reduce) or "
                     "(Tensor input, int dim, Tensor index, Number value, *, str reduce)")


def derivative_not_implemented(function):
    """backward reached an op torch defines no derivative for (its NotImplemented node)."""
    return RuntimeError(f"derivative for {function} is not implemented")


def scatter_gather_index_out_of_bounds(index, dim, size):
    """gather / scatter's kernels say it as a RuntimeError (t[i] says it as an IndexError)."""
    return RuntimeError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def index_select_index_not_vector():
    return IndexError("index_select(): Index is supposed to be a vector")


def index_select_scalar_index_count(count):
    return RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {count} "
                        "value(s)")


def index_select_index_dtype():
    return RuntimeError("index_select(): Expected dtype int32 or int64 for index")


def index_select_empty_dim():
    return RuntimeError("index_select(): self indexing axis dim should be positive")


def index_select_index_out_of_data_bounds(index, size):
    """torch's kernel for dim 1 of a tensor of 2 or more dims, and for an empty tensor."""
    return RuntimeError(f"INDICES element is out of DATA bounds, id={index} axis_dim={size}")


def index_select_index_out_of_range():
    """torch's kernel for every other dim."""
    return IndexError("index out of range in self")


def masked_fill_mask_not_bool(np_dtype):
    return RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                        f"{dtypes.c_type_name(np_dtype)}")


def masked_fill_value_not_0d(ndim):
    return RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                        f"tensor with {ndim} dimension(s).")


# how torch's checked conversion of a number names the C++ type it converts to
_CONVERSION_TYPE_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double",
                          "uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t",
                          "int32": "int", "int64": "int64_t"}


def fill_value_not_a_number(value):
    """masked_fill's or scatter's value is neither a number nor a 0-d tensor. (torch's
    parser lists its overloads here; minitorch says what it accepts.)"""
    return TypeError(f"value must be a Number or a 0-dimensional Tensor, not "
                     f"{type(value).__name__}")


def value_overflows(np_dtype):
    """A number that does not fit the tensor's dtype (masked_fill, scatter's value, new_full;
    C's name for the type, as torch)."""
    return RuntimeError(f"value cannot be converted to type "
                        f"{_CONVERSION_TYPE_NAMES[np_dtype.name]} without overflow")


def int_too_big():
    """A Python int beyond 64 bits (torch's argument parser)."""
    return OverflowError("int too big to convert")


def int_too_negative():
    return OverflowError("can't convert negative int to unsigned")


def topk_k_out_of_range():
    return RuntimeError("selected index k out of range")


def topk_of_bool():
    return RuntimeError("topk does not support bool dtypes on CPU")


def one_hot_of_non_long():
    return RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")


def one_hot_classes_of_empty():
    return RuntimeError("Can not infer total number of classes from empty tensor.")


def one_hot_negative_class():
    return RuntimeError("Class values must be non-negative.")


def one_hot_too_few_classes():
    return RuntimeError("Class values must be smaller than num_classes.")


# ---- more tensor ops: cumsum, rounding, repeat, flip, roll, new_*, out=, devices ------------

# out= (facade/out.py)

def out_with_autograd(op):
    return RuntimeError(f"{op}(): functions with out=... arguments don't support automatic "
                        "differentiation, but one of the arguments requires grad.")


def out_resized(shape, required):
    """An out= tensor that held elements, resized to the result's shape (torch's warning,
    without its note of the C++ line that raised it)."""
    return UserWarning(f"An output with one or more elements was resized since it had shape "
                       f"{list(shape)}, which does not match the required output shape "
                       f"{list(required)}. This behavior is deprecated, and in a future PyTorch "
                       "release outputs will not be resized unless they have zero elements. You "
                       "can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                       "elements with t.resize_(0).")


def out_dtype_found(out, expected):
    """abs, neg, clamp, round... given an out of another dtype than their result's."""
    return RuntimeError(f"Found dtype {dtypes.scalar_name(out)} but expected "
                        f"{dtypes.scalar_name(expected)}")


def out_dtype_expected(expected, out):
    """Matrix products, norm, max/min along a dim, argmax... given an out of another dtype."""
    return RuntimeError(f"Expected out tensor to have dtype {dtypes.c_type_name(expected)}, but "
                        f"got {dtypes.c_type_name(out)} instead")


def out_dtype_not_input_dtype(input, out):
    """amax/amin."""
    return RuntimeError(f"Expected the dtype for input and out to match, but got "
                        f"{dtypes.scalar_name(input)} for input's dtype and "
                        f"{dtypes.scalar_name(out)} for out's dtype.")


def addmv_dtype_mismatch(out, operands):
    """A float matrix @ vector into an out of the right shape but another dtype (torch's
    BLAS path checks the three tensors' dtypes)."""
    return RuntimeError(f"addmv input tensors must have the same dtype, but got "
                        f"{dtypes.scalar_name(out)}, {dtypes.scalar_name(operands)}, and "
                        f"{dtypes.scalar_name(operands)}")


def dot_out_dtype(input, out):
    return RuntimeError(f"result dtype {dtypes.scalar_name(out)} does not match input dtype "
                        f"{dtypes.scalar_name(input)}")


def where_out_dtype(expected, out):
    return RuntimeError(f"Expected out type to be {dtypes.scalar_name(expected)} but got "
                        f"{dtypes.scalar_name(out)}")


def out_not_bool(op, out):
    """all/any."""
    return RuntimeError(f"{op} only supports bool tensor for result, got: "
                        f"{dtypes.scalar_name(out)}")


def out_not_float(op, out):
    """logsumexp."""
    return RuntimeError(f"{op}(): Expected floating point type for result tensor, but got: "
                        f"{dtypes.scalar_name(out)}")


def cat_out_cannot_cast(out):
    """cat/stack (torch names cat for both)."""
    return TypeError("minitorch.cat(): input types can't be cast to the desired output type "
                     f"{dtypes.scalar_name(out)}")


def out_cannot_cast(overload, out):
    """mean() of all elements into an out its result cannot be cast into."""
    return RuntimeError(f"{overload}(): input types can't be cast to the desired output type "
                        f"{dtypes.scalar_name(out)}")


def out_cannot_cast_check():
    """max()/min() of all elements into an out their result cannot be cast into: torch's
    internal check, word for word."""
    return RuntimeError("Expected canCast( typeMetaToScalarType(self.dtype()), "
                        "typeMetaToScalarType(out.dtype())) to be true, but got false.  (Could "
                        "this error message be improved?  If so, please report an enhancement "
                        "request to PyTorch.)")


def factory_dtype_not_outs(dtype, out):
    return RuntimeError(f"dtype {dtypes.scalar_name(dtype)} does not match dtype of out parameter "
                        f"({dtypes.scalar_name(out)})")


def arange_out_resized(shape, count, result_shape, result_count):
    return UserWarning(f"The number of elements in the out tensor of shape {list(shape)} is "
                       f"{count} which does not match the computed number of elements "
                       f"{result_count}. Note that this may occur as a result of "
                       "rounding error. The out tensor will be resized to a tensor of shape "
                       f"{tuple(result_shape)}.")


def resize_of_tensor_requiring_grad():
    return RuntimeError("cannot resize variables that require grad")


# cumsum, cumprod, repeat, flip, roll

def autograd_of_integer_dtype(np_dtype):
    """cumsum(x, dtype=<an integer dtype>) of an x that requires grad."""
    return RuntimeError(f"Autograd not support dtype: {dtypes.scalar_name(np_dtype)}")


def missing_argument(function, argument):
    """A required argument that torch's parser found missing (x.repeat(), x.flip())."""
    return TypeError(f'{function}() missing 1 required positional arguments: "{argument}"')


def repeat_fewer_dims():
    return RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                        "dimensions of tensor")


def roll_shifts_required():
    return RuntimeError("`shifts` required")


def roll_shifts_dims_mismatch(shifts, dims):
    return RuntimeError(f"shifts and dimensions must align. shifts: {shifts}, dims:{dims}")


def dim_of_0d(dim):
    """A dim given to an op that does not let a 0-d tensor take dim 0 or -1 (roll)."""
    return IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


# new_tensor, new_zeros, ... and the in-place random fills uniform_, normal_

def new_tensor_from_tensor():
    return UserWarning("To copy construct from a tensor, it is recommended to use "
                       "sourceTensor.detach().clone() or "
                       "sourceTensor.detach().clone().requires_grad_(True), rather than "
                       "tensor.new_tensor(sourceTensor).")


def unexpected_keyword(function, keyword):
    return TypeError(f"{function}() got an unexpected keyword argument '{keyword}'")


def random_bound_out_of_range(bound, np_dtype):
    """uniform_'s `from` or `to` beyond the tensor dtype's range (or nan)."""
    return RuntimeError(f"{bound} is out of bounds for {dtypes.c_type_name(np_dtype)}")


def uniform_empty_range(low, high):
    return RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                        f"from={low:g} > to={high:g}")


def uniform_range_too_wide(low, high, np_dtype):
    return RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                        f"{dtypes.scalar_name(np_dtype)}>::max(), but found to={high:g} and "
                        f"from={low:g} which result in to-from to exceed the limit")


def normal_std_negative(std):
    return RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


# devices: set_default_device, accelerator, jit

def invalid_device_string(device):
    return RuntimeError(f"Invalid device string: '{device}'")


def unknown_device_type(device):
    return RuntimeError("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, "
                        "ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone "
                        f"device type at start of device string: {device}")


def no_accelerator():
    """minitorch.accelerator calls that need a device (minitorch has none but the CPU)."""
    return RuntimeError("Cannot access accelerator device when none is available.")


def torchscript_not_supported(function):
    return NotImplementedError(f"minitorch.jit.{function}: TorchScript is not supported in "
                               "minitorch (torch deprecates it too); run the module or "
                               "function as it is, in Python")


# ---- normalization, embedding, adaptive pooling, resnet (nn) ---------------------------------

# arguments read as torch's argument parser reads a list of ints

def int_list_expected(function, argument, position, value):
    """A single value where torch wants a tuple of ints."""
    return TypeError(f"{function}(): argument '{argument}' (position {position}) must be tuple "
                     f"of ints, not {type(value).__name__}")


def int_list_first_element(function, argument, position, element):
    """A first element that is not an int (a bool is not an int here)."""
    return TypeError(f"{function}(): argument '{argument}' (position {position}) must be tuple "
                     f"of ints, but found element of type {type(element).__name__} at pos 0")


def int_list_later_element(function, argument, position, element):
    """A later element that is not an int: torch's parser words this one differently."""
    return TypeError(f"{function}(): argument '{argument}' failed to unpack the object at pos "
                     f"{position} with error \"type must be tuple of ints,but got "
                     f"{type(element).__name__}\"")


def argument_not_float(function, argument, position, value):
    return TypeError(f"{function}(): argument '{argument}' (position {position}) must be float, "
                     f"not {type(value).__name__}")


# batch norm and layer norm

def batch_norm_input_rank(expected, ndim):
    """expected: '4D' (BatchNorm2d) or '2D or 3D' (BatchNorm1d)."""
    return ValueError(f"expected {expected} input (got {ndim}D input)")


def batch_norm_one_value_per_channel(size):
    return ValueError("Expected more than 1 value per channel when training, got input size "
                      f"{size!r}")


def batch_norm_eps(eps, training):
    if training:
        return ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    return ValueError(f"batch_norm eps must be non-negative, but got {eps}")


def batch_norm_feature_count(name, expected, actual):
    """running_mean, running_var, weight or bias with another length than the channels."""
    return RuntimeError(f"{name} should contain {expected} elements not {actual}")


def batch_norm_running_stat_missing(name):
    return RuntimeError(f"{name} must be defined in evaluation mode")


def batch_norm_running_stats_half_given():
    return ValueError("running_mean and running_var must either both be None or neither be "
                      "None")


def select_index_out_of_range(index, shape, dim):
    """torch's C++ select (t[0] from Python words it otherwise): batch_norm of an empty
    input takes weight[0] and bias[0] so, and fails so when there are no channels."""
    return IndexError(f"select(): index {index} out of range for tensor of size {list(shape)} "
                      f"at dimension {dim}")


def mixed_dtype_parameter():
    """A parameter of another dtype than the input that is not float32 (the only dtype a
    float16 input may mix with)."""
    return RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")


def mixed_dtype_input():
    """float32 parameters with an input that is not float16."""
    return RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def layer_norm_shape_empty(normalized_shape):
    return RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                        "containing at least one element, but got normalized_shape = "
                        f"{list(normalized_shape)}")


def layer_norm_parameter_shape(name, shape, normalized_shape):
    """weight or bias whose shape is not normalized_shape."""
    return RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                        f"{name} of shape {list(shape)} and normalized_shape = "
                        f"{list(normalized_shape)}")


def layer_norm_input_shape(normalized_shape, input_shape):
    """An input whose trailing dims are not normalized_shape."""
    trailing = "".join(f", {size}" for size in normalized_shape)
    return RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with "
                        f"shape [*{trailing}], but got input of size{list(input_shape)}")


# embedding

def embedding_padding_idx_out_of_range():
    return AssertionError("Padding_idx must be within num_embeddings")


def embedding_weight_shape_mismatch():
    """_weight of another shape than (num_embeddings, embedding_dim)."""
    return AssertionError("Shape of weight does not match num_embeddings and embedding_dim")


def embedding_pretrained_rank():
    return AssertionError("Embeddings parameter is expected to be 2-dimensional")


def embedding_weight_rank():
    return RuntimeError("'weight' must be 2-D")


def embedding_indices_dtype(np_dtype):
    """Indices that are neither int64 nor int32 (torch names a bool tensor differently)."""
    got = "CPUBoolType" if np_dtype == bool else dtypes.tensor_type_name(np_dtype)
    return RuntimeError("Expected tensor for argument #1 'indices' to have one of the following "
                        f"scalar types: Long, Int; but got {got} instead (while checking "
                        "arguments for embedding)")


def embedding_index_out_of_range():
    return IndexError("index out of range in self")


def embedding_sparse():
    """sparse=True: torch returns a sparse gradient; minitorch has no sparse tensors."""
    return NotImplementedError("embedding: sparse=True (a sparse gradient) is not supported by "
                               "minitorch, which has no sparse tensors; use sparse=False (a "
                               "dense gradient of the whole weight)")


# adaptive pooling

def adaptive_pool_input_dimension(minimum):
    """An output_size tuple longer than the input's dims allow (torch's Python check)."""
    return ValueError(f"Input dimension should be at least {minimum}")


def adaptive_pool_output_size_length(function):
    if function == "adaptive_max_pool2d":
        return RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    return RuntimeError(f"{function}: output_size must be 2")


def adaptive_avg_pool_output_size_negative(output_size):
    return RuntimeError(f"adaptive_avg_pool2d: elements of output_size must be greater than or "
                        f"equal to 0 but received {{{output_size[0]}, {output_size[1]}}}")


def adaptive_pool_input_rank(function, shape):
    colon = ":" if function == "adaptive_max_pool2d" else ""  # (torch's two texts differ)
    return RuntimeError(f"{function}(): Expected 3D or 4D tensor, but got{colon} {list(shape)}")


def adaptive_pool_input_empty(function, shape, dim):
    return RuntimeError(f"{function}(): Expected input to have non-zero size for non-batch "
                        f"dimensions, but input has sizes {list(shape)} with dimension {dim} "
                        "being empty")


# resnet and hub (vision/models/, hub.py)

def basic_block_groups():
    return ValueError("BasicBlock only supports groups=1 and base_width=64")


def basic_block_dilation():
    return NotImplementedError("Dilation > 1 not supported in BasicBlock")


def resnet_stride_with_dilation_length(value):
    return ValueError("replace_stride_with_dilation should be None or a 3-element tuple, "
                      f"got {value}")


def weights_of_another_class(expected, received):
    """weights=<an enum of another model, or not an enum> (class names)."""
    return TypeError(f"Invalid Weight class provided; expected {expected} but received "
                     f"{received}.")


def weights_unavailable(builder):
    """pretrained=True for a model builder without pretrained weights."""
    return ValueError(f"No weights available for model {builder}")


def model_param_conflicts_with_weights(param, expected, got):
    """num_classes=10 with weights made for 1000 classes."""
    return ValueError(f"The parameter '{param}' expected value {expected} but got {got} "
                      "instead.")


def hub_invalid_hash(hash_prefix, digest):
    return RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')


def hub_download_failed(url, filename, folder, cause):
    """torch lets urllib's error through; minitorch, often offline, says what to do."""
    return RuntimeError(f"Could not download {filename} from {url} ({cause}). Without internet "
                        f"access, download {filename} on another machine and put it in "
                        f"{folder} (where torch keeps it too: $TORCH_HOME/hub/checkpoints, "
                        "by default ~/.cache/torch/hub/checkpoints).")


# ---- activations, losses, nn.utils, module hooks (nn) ----------------------------------------


# activations

def argument_not_a_number(function, name, position, value):
    """torch's argument parser, for a number argument given something else."""
    return TypeError(f"{function}(): argument '{name}' (position {position}) must be Number, "
                     f"not {type(value).__name__}")


def gelu_approximate():
    return RuntimeError("approximate argument must be either none or tanh.")


def inplace_leaky_relu_negative_slope():
    """Raised in backward: the in-place form keeps only the result, whose sign a negative
    slope has flipped."""
    return RuntimeError(
        "In-place leakyReLu backward calculation is triggered with a negative slope which is "
        "not supported. This is caused by calling in-place forward function with a negative "
        "slope, please call out-of-place version instead. File an issue at "
        "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
        "backward calculation with negative slope")


def inplace_elu_negative_alpha():
    """Raised in backward, as for leaky_relu_: a negative alpha flips the result's sign."""
    return RuntimeError(
        "In-place elu backward calculation is triggered with a negative slope which is not "
        "supported. This is caused by calling in-place forward function with a negative "
        "slope, please call out-of-place version instead.")


# losses

def not_differentiable_argument(function, argument):
    """A weight that requires grad, given to a loss whose node takes no gradient for it."""
    return RuntimeError(f"The function '{function}' is not differentiable with respect to "
                        f"argument '{argument}'. This input cannot have requires_grad True.")


def bce_target_size(target_shape, input_shape):
    return ValueError(f"Using a target size ({target_shape!r}) that is different to the input "
                      f"size ({input_shape!r}) is deprecated. Please ensure they have the same "
                      "size.")


def bce_with_logits_target_size(target_shape, input_shape):
    return ValueError(f"Target size ({target_shape!r}) must be the same as input size "
                      f"({input_shape!r})")


def probabilities_out_of_range(which):
    """binary_cross_entropy's input or target (`which`) outside [0, 1] (or nan)."""
    return RuntimeError(f"all elements of {which} should be between 0 and 1")


def found_dtype(found, expected):
    """An operand of a kernel that takes one dtype only."""
    return RuntimeError(f"Found dtype {dtypes.scalar_name(found)} but expected "
                        f"{dtypes.scalar_name(expected)}")


def broadcast_shapes_mismatch(length, at, index, shape, result):
    """torch.broadcast_shapes: argument `index`'s dim `at` (from the end) cannot broadcast
    to the shape so far, `result`."""
    return RuntimeError(f"Attempting to broadcast a dimension of length {length} at {at}! "
                        f"Mismatching argument at index {index} had {shape!r}; but expected "
                        f"shape should be broadcastable to {list(result)}")


def smooth_l1_negative_beta():
    return RuntimeError("smooth_l1_loss does not support negative values for beta.")


def huber_non_positive_delta():
    return RuntimeError("huber_loss does not support non-positive values for delta.")


def huber_delta_type(delta):
    return TypeError(f"delta must be a float or int, got: {type(delta)}")


def loss_weight_size():
    return ValueError("Weights and input must have the same size.")


def invalid_reduction_mode(reduction):
    """The weighted l1_loss / huber_loss words an unknown reduction differently."""
    return ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                      "'sum'.")


# nn.utils

def non_finite_total_norm(norm_type):
    return RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                        "is non-finite, so it cannot be clipped. To disable this error and "
                        "scale the gradients by the non-finite norm anyway, set "
                        "`error_if_nonfinite=False`")


def vector_not_a_tensor(value):
    """vector_to_parameters given something else; named as torch.typename names it."""
    kind = type(value)
    name = (kind.__qualname__ if kind.__module__ in ("", "builtins")
            else f"{kind.__module__}.{kind.__qualname__}")
    return TypeError(f"expected minitorch.Tensor, but got: {name}")


# module hooks

def forward_pre_hook_result(result):
    return RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                        f"new_kwargs), but got {result}.")


def backward_hook_result_count(got, expected):
    return RuntimeError("Backward hook returned an invalid number of grad_input, "
                        f"got {got}, but expected {expected}")


def backward_pre_hook_result_count(got, expected):
    return RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                        f"got {got}, but expected {expected}")


def backward_hook_without_input_grad():
    return RuntimeError("Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients.")


# ---- optimizers and learning-rate schedulers (optim) -----------------------------------------

def optimizer_value_invalid(label, value):
    """A hyper-parameter out of its range (negative, or nan); label as torch words it:
    "learning rate", "epsilon value", "alpha value", "lr_decay value", ..."""
    return ValueError(f"Invalid {label}: {value}")


def betas_of_mixed_types():
    """Adam's betas: one a float and the other not (torch also takes two Tensors)."""
    return ValueError("betas must be either both floats or both Tensors")


def nesterov_without_momentum():
    """SGD(nesterov=True) needs momentum to look ahead with, and no dampening."""
    return ValueError("Nesterov momentum requires a momentum and zero dampening")


def capturable_on_the_cpu(devices):
    """capturable=True (CUDA graphs) meets a CPU parameter: torch's assertion, listing the
    devices torch would accept."""
    return AssertionError("If capturable=True, params and state_steps must be on supported "
                          f"devices: {devices}.")


def scheduler_without_optimizer(optimizer):
    return TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def scheduler_resumed_without_initial_lr(index):
    """last_epoch >= 0 given to a scheduler whose optimizer never had one."""
    return KeyError(f"param 'initial_lr' is not specified in param_groups[{index}] when resuming "
                    "scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're "
                    "trying to resume training from a checkpoint but haven't properly loaded the "
                    "optimizer state\n2. You're using last_epoch >= 0 for a fresh training run "
                    "(not recommended)")


def scheduler_values_per_group(name, given, groups):
    """A list of per-group values (max_lr, momentum, ...) of the wrong length."""
    return ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has "
                      f"{given} values, param_groups has {groups}.")


def lr_lambdas_per_group(groups, given):
    return ValueError(f"Expected {groups} lr_lambdas, but got {given}")


def plateau_factor_not_below_one():
    return ValueError("Factor should be < 1.0.")


def plateau_min_lrs_per_group(groups, given):
    return ValueError(f"expected {groups} min_lrs, got {given}")


def plateau_mode_unknown(mode):
    return ValueError("mode " + mode + " is unknown!")


def plateau_threshold_mode_unknown(threshold_mode):
    return ValueError("threshold mode " + threshold_mode + " is unknown!")


def plateau_param_groups_changed(groups, min_lrs):
    """A param group added after ReduceLROnPlateau was given one min_lr per group."""
    return RuntimeError(f"The number of param groups in the `optimizer` ({groups}) differs from "
                        f"when `ReduceLROnPlateau` was initialized ({min_lrs}), usually due to a "
                        "new param group being added to the optimizer. Please modify the "
                        "`min_lrs` field to match the length of the `optimizer` param groups.")


def one_cycle_count_not_positive(name, value):
    """total_steps, epochs or steps_per_epoch that is not a positive int."""
    return ValueError(f"Expected positive integer {name}, but got {value}")


def one_cycle_length_missing():
    return ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")


def one_cycle_pct_start_invalid(pct_start):
    return ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")


def one_cycle_anneal_strategy_unknown(anneal_strategy):
    return ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                      f"{anneal_strategy}")


def one_cycle_without_momentum():
    return ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option "
                      "enabled")


def one_cycle_stepped_past_the_end(step, total_steps):
    return ValueError(f"Tried to step {step} times. The specified number of total steps is "
                      f"{total_steps}")


def scheduler_stepped_before_optimizer():
    """A warning: the first scheduler.step() came before any optimizer.step()."""
    return UserWarning("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In "
                       "PyTorch 1.1.0 and later, you should call them in the opposite order: "
                       "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                       "will result in PyTorch skipping the first value of the learning rate "
                       "schedule. See more details at "
                       "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")


def scheduler_optimizer_step_replaced():
    """A warning: optimizer.step was replaced after the scheduler watched it."""
    return UserWarning("Seems like `optimizer.step()` has been overridden after learning rate "
                       "scheduler initialization. Please, make sure to call `optimizer.step()` "
                       "before `lr_scheduler.step()`. See more details at "
                       "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")


def scheduler_epoch_deprecated():
    """A warning: scheduler.step(epoch)."""
    return UserWarning("The epoch parameter in `scheduler.step()` was not necessary and is being "
                       "deprecated where possible. Please use `scheduler.step()` to step the "
                       "scheduler. During the deprecation, if epoch is different from None, the "
                       "closed form is used instead of the new chainable form, where available. "
                       "Please open an issue if you are unable to replicate your use case: "
                       "https://github.com/pytorch/pytorch/issues/new/choose.")


def scheduler_get_lr_outside_step():
    """A warning: get_lr() called by the user (it computes the next rates)."""
    return UserWarning("To get the last learning rate computed by the scheduler, please use "
                       "`get_last_lr()`.")


# ---- samplers, transforms, image files (utils.data, vision) ----------------------------------

# samplers (utils/data/sampler.py)

def sampler_num_samples_not_positive(num_samples):
    return ValueError(f"num_samples should be a positive integer value, but got "
                      f"num_samples={num_samples}")


def sampler_replacement_not_bool(replacement, error_type):
    """RandomSampler raises it as a TypeError, WeightedRandomSampler as a ValueError."""
    return error_type(f"replacement should be a boolean value, but got replacement={replacement}")


def sampler_weights_not_1d(shape):
    return ValueError(f"weights should be a 1d sequence but given weights have shape {shape}")


def sampler_batch_size_not_positive(batch_size):
    return ValueError(f"batch_size should be a positive integer value, but got "
                      f"batch_size={batch_size}")


def sampler_drop_last_not_bool(drop_last):
    return ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")


def multinomial_too_many_without_replacement():
    return RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")


def multinomial_too_many_categories():
    return RuntimeError("number of categories cannot exceed 2^24")


def multinomial_invalid_entries():
    return RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")


def multinomial_negative_entry():
    return RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")


def multinomial_infinite_entry():
    return RuntimeError("invalid multinomial distribution (encountering probability entry = "
                        "infinity or NaN)")


def multinomial_sum_not_positive():
    return RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


# transforms (vision/transforms/): what torchvision's transforms say

def not_a_tensor_image():
    return TypeError("Tensor is not a torch image.")


def img_not_pil(img):
    return TypeError(f"img should be PIL Image. Got {type(img)}")


def input_not_pil():
    return TypeError("Input should be PIL Image")


def img_not_tensor_image(img):
    return TypeError(f"img should be Tensor Image. Got {type(img)}")


def unexpected_image_type(img):
    return TypeError(f"Unexpected type {type(img)}")


def channels_not_permitted(permitted, channels):
    return TypeError(f"Input image tensor permitted channel values are {permitted}, but found "
                     f"{channels}")


def pic_not_pil(pic):
    return TypeError(f"pic should be PIL Image. Got {type(pic)}")


def pic_not_pil_or_ndarray(pic):
    return TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")


def pic_not_tensor_or_ndarray(pic):
    return TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")


def pic_wrong_ndim(ndim):
    return ValueError(f"pic should be 2/3 dimensional. Got {ndim} dimensions.")


def pic_too_many_channels(channels):
    return ValueError(f"pic should not have > 4 channels. Got {channels} channels.")


def pic_incorrect_mode(mode, expected_mode):
    """torchvision's text names numpy's dtype class where it means the array's dtype."""
    return ValueError(f"Incorrect mode ({mode}) supplied for input type <class 'numpy.dtype'>. "
                      f"Should be {expected_mode}")


def pic_mode_not_permitted(permitted, channels):
    return ValueError(f"Only modes {permitted} are supported for {channels}D inputs")


def pic_type_not_supported(np_dtype):
    return TypeError(f"Input type {np_dtype} is not supported")


def convert_image_not_tensor():
    return TypeError("Input img should be Tensor Image")


def convert_image_unsafe_cast(from_dtype, to_dtype):
    return RuntimeError(f"The cast from {from_dtype} to {to_dtype} cannot be performed safely.")


def normalize_not_float(dtype):
    return TypeError(f"Input tensor should be a float tensor. Got {dtype}.")


def normalize_wrong_size(size):
    return ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                      f"tensor.size() = {size}")


def normalize_std_zero(dtype):
    return ValueError(f"std evaluated to zero after conversion to {dtype}, leading to division "
                      "by zero.")


def inappropriate_arg(name):
    """pad's padding, fill or padding_mode of a type it does not take."""
    return TypeError(f"Got inappropriate {name} arg")


def padding_wrong_length(length):
    return ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                      f"{length} element tuple")


def padding_mode_unknown():
    return ValueError("Padding mode should be either constant, edge, reflect or symmetric")


def reflect_padding_too_large(argument, before, after, dim, shape):
    return RuntimeError(f"Argument #{argument}: Padding size should be less than the "
                        "corresponding input dimension, but got: padding "
                        f"({before}, {after}) at dimension {dim} of input {shape}")


def symmetric_padding_index(index, dimension, size):
    """torchvision's symmetric padding indexes past the pixels that (negative) padding left."""
    return IndexError(f"index {index} is out of bounds for dimension {dimension} with size {size}")


def narrow_negative_length():
    """Negative padding that removes more than the image (torch's crop step, narrow)."""
    return RuntimeError("narrow(): length must be non-negative.")


def symmetric_padding_dims():
    return RuntimeError("Symmetric padding of N-D tensors are not supported yet")


def padding_dims_not_supported(ndim):
    return NotImplementedError(f"Padding size 4 is not supported for {ndim}D input tensor.")


def edge_padding_output_empty(rows, cols, height, width):
    return RuntimeError(f"Calculated output H: {rows} W: {cols} must be >= 1 in every "
                        f"dimension (input H: {height}, W: {width})")


def fill_does_not_match_channels(fill_length, channels):
    return ValueError("The number of elements in 'fill' does not match the number of channels "
                      f"of the image ({fill_length} != {channels})")


def fill_cannot_broadcast(fill_length, channels):
    return ValueError("The number of elements in 'fill' cannot broadcast to match the number of "
                      f"channels of the image ({fill_length} != {channels})")


def fill_type_warning():
    return UserWarning("Argument fill should be either int, float, tuple or list")


def fill_not_sequence_or_number():
    return TypeError("Fill should be either a sequence or a number.")


def interpolation_not_a_mode():
    return TypeError("Argument interpolation should be a InterpolationMode or a corresponding "
                     "Pillow integer constant")


def interpolation_unsupported_for_tensor(mode):
    return ValueError(f"Interpolation mode '{mode}' is unsupported with Tensor input")


def max_size_not_greater(max_size, size):
    return ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                      f"size for the smaller edge size = {size}")


def max_size_with_two_sizes():
    return ValueError("max_size should only be passed if size specifies the length of the "
                      "smaller edge, i.e. size should be an int or a sequence of length 1 in "
                      "torchscript mode.")


def resize_size_wrong_length(length):
    return ValueError("Size must be an int or a 1 or 2 element tuple/list, not a "
                      f"{length} element tuple/list")


def resize_size_type(size):
    return TypeError(f"Size should be int or sequence. Got {type(size)}")


def resize_size_sequence_length():
    return ValueError("If size is a sequence, it should have 1 or 2 values")


def antialias_ignored_for_pil():
    return UserWarning("Anti-alias option is always applied for PIL Image input. Argument "
                       "antialias is ignored.")


def size_not_two_dimensions():
    return ValueError("Please provide only two dimensions (h, w) for size.")


def crop_larger_than_image(crop_size, image_size):
    return ValueError(f"Required crop size {crop_size} is larger than input image size "
                      f"{image_size}")


def argument_not_a_sequence(name):
    """RandomResizedCrop's scale or ratio (capitalised, as torchvision writes them)."""
    return TypeError(f"{name} should be a sequence")


def scale_ratio_not_min_max():
    return UserWarning("Scale and ratio should be of kind (min, max)")


def not_a_sequence_of_length(name, lengths, error_type):
    """TypeError when not a sequence at all, ValueError when of another length."""
    expected = lengths[0] if len(lengths) < 2 else " or ".join(str(n) for n in lengths)
    return error_type(f"{name} should be a sequence of length {expected}.")


def single_number_not_positive(name):
    return ValueError(f"If {name} is a single number, it must be positive.")


def single_number_negative(name):
    return ValueError(f"If {name} is a single number, it must be non negative.")


def jitter_not_number_or_pair(name):
    return TypeError(f"{name} should be a single number or a list/tuple with length 2.")


def jitter_out_of_bounds(name, bound, value):
    return ValueError(f"{name} values should be between {bound}, but got {value}.")


def rotate_angle_not_number():
    return TypeError("Argument angle should be int or float")


def rotate_center_not_sequence():
    return TypeError("Argument center should be a sequence")


def grayscale_needs_3_dims(ndim):
    return TypeError(f"Input image tensor should have at least 3 dimensions, but found {ndim}")


def num_output_channels_not_1_or_3():
    return ValueError("num_output_channels should be either 1 or 3")


def factor_negative(name, factor):
    return ValueError(f"{name} ({factor}) is not non-negative.")


def hue_factor_out_of_range(hue_factor):
    return ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")


def lambda_not_callable(lambd):
    return TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")


# image files (vision/io.py)

def image_file_unreadable(os_error):
    """torchvision's read_file reports the operating system's error as a RuntimeError."""
    return RuntimeError(f"read_file: {os_error}")


def image_file_empty():
    return RuntimeError("read_file: Expected a non empty file")


def encoded_image_not_uint8():
    return RuntimeError("decode_image: Expected a minitorch.uint8 tensor")


def encoded_image_not_1d():
    return RuntimeError("decode_image: Expected a non empty 1-dimensional tensor")


def image_format_not_supported():
    """torchvision also reads WebP and GIF; minitorch reads PNG and JPEG only."""
    return RuntimeError("decode_image: Unsupported image file. Only jpeg and png are currently "
                        "supported by minitorch (torchvision also reads webp and gif).")


def image_decoding_failed(error):
    return RuntimeError(f"decode_image: the image data is corrupt or truncated ({error})")


def png_16_bit_colour_not_supported():
    return RuntimeError("decode_png: 16-bit colour PNG files are not supported by minitorch "
                        "(Pillow reads them only as 8 bits); 16-bit gray ones are read as int32")


def jpeg_mode_not_supported():
    return RuntimeError("decode_jpeg: The provided mode is not supported for JPEG files")


# ---- whole objects in checkpoints (serialization) --------------------------------------------

# checkpoint files: writing them (save)

def save_storage_viewed_as_two_types():
    return RuntimeError("Cannot save multiple tensors or storages that view the same data as "
                        "different types")


def save_file_reaches_4_gib(record):
    return RuntimeError(f"save: the file would reach 4 GiB at record {record}; minitorch does "
                        "not write the zip64 records such files need")


def save_pickle_protocol(pickle_protocol):
    return ValueError("save: minitorch writes pickle protocol 2 (torch's default), got "
                      f"pickle_protocol={pickle_protocol}")


def save_pickle_module(pickle_module):
    return ValueError("save: minitorch writes the pickle itself and cannot use "
                      f"pickle_module={pickle_module!r}; leave it at Python's pickle")


def save_legacy_format():
    return ValueError("save: minitorch writes only the zip format of torch >= 1.6, not the "
                      "legacy format that _use_new_zipfile_serialization=False asks for")


def save_invalid_file_name(path):
    return RuntimeError(f"invalid file name: {path}")


def save_not_a_file():
    return AttributeError("expected 'f' to be string, path, or a file-like object with a "
                          "'write' attribute")


def save_parent_directory_missing(folder):
    return RuntimeError(f"Parent directory {folder} does not exist.")


def save_path_is_a_directory(path):
    return RuntimeError(f"save: cannot write {path}: open file failed with strerror: Is a "
                        "directory")


# checkpoint files: reading them (load)

def load_mmap_not_a_path():
    return ValueError("f must be a file path in order to use the mmap argument")


def load_not_seekable(file_type_name):
    return AttributeError(f"'{file_type_name}' object has no attribute 'seek'. You can only "
                          "minitorch.load from a file that is seekable. Please pre-load the data "
                          "into a buffer like io.BytesIO and try to load from it instead.")


def load_legacy_format(file_name):
    return RuntimeError(f"{file_name} was written in torch's legacy format (before torch 1.6, or "
                        "with _use_new_zipfile_serialization=False), which minitorch does not "
                        "read: load it in torch and save it again")


def _stream_reader_failed(what, file_name):
    """torch's zip reader's words for a file it cannot read."""
    return RuntimeError(f"PytorchStreamReader failed {what}: file {file_name}")


def load_not_a_zip(file_name, empty):
    why = "the file is empty" if empty else "the file is not a zip archive"
    return _stream_reader_failed(
        f"reading zip archive: failed finding central directory ({why})", file_name)


def load_corrupt_zip(file_name, error):
    return _stream_reader_failed("reading zip archive: failed finding central directory "
                                 f"({error}; the file is truncated or corrupt)", file_name)


def load_records_not_in_a_folder(file_name):
    return _stream_reader_failed("reading zip archive: its files are not in a subdirectory",
                                 file_name)


def load_records_stored_twice(file_name, records):
    return _stream_reader_failed(
        f"reading zip archive: records stored more than once: {records}", file_name)


def load_record_missing(file_name, record):
    return _stream_reader_failed(f"locating file {record}: file not found", file_name)


def load_record_compression(file_name, record, method):
    return _stream_reader_failed(f"retrieving file meta-data for {record}: unsupported method "
                                 f"(compression {method}; torch stores records uncompressed)",
                                 file_name)


def load_record_unreadable(file_name, record, error):
    return _stream_reader_failed(f"reading file {record}: {error}", file_name)


def load_record_size(file_name, record, size, numel, itemsize):
    return _stream_reader_failed(f"reading file {record}: it holds {size} bytes, not the "
                                 f"{numel} elements of {itemsize} bytes the pickle expects",
                                 file_name)


def load_unknown_endianness(byteorder):
    return ValueError(f"Unknown endianness type: {byteorder}")


def load_on_cuda():
    return RuntimeError("Attempting to deserialize object on a CUDA device but "
                        "minitorch.cuda.is_available() is False. If you are running on a "
                        "CPU-only machine, please use minitorch.load with "
                        "map_location=minitorch.device('cpu') to map your storages to the CPU.")


def load_on_device(location):
    return RuntimeError(f"load: minitorch computes on the CPU only and cannot place storages on "
                        f"device '{location}'")


def load_map_location_type(map_location):
    return TypeError("load: map_location must be None, a str, a device, a dict or a callable, "
                     f"got {type(map_location).__name__}")


def load_persistent_id(persistent_id):
    return pickle.UnpicklingError(f"load: unsupported persistent id {persistent_id!r}")


def load_too_many_dims(ndim, max_dims, numpy_version):
    """torch loads such a tensor; a numpy array cannot hold it."""
    return RuntimeError(f"load: a tensor of {ndim} dimensions cannot be loaded: minitorch keeps "
                        f"tensors in numpy arrays, which have at most {max_dims} dimensions "
                        f"(numpy {numpy_version})")


def load_invalid_layout(size, stride, offset):
    return RuntimeError(f"load: invalid tensor layout: sizes {list(size)}, strides "
                        f"{list(stride)}, storage offset {offset}")


def load_storage_out_of_bounds(size, stride, offset, itemsize, needed, numel):
    """A tensor whose view reaches past its storage (sizes in elements)."""
    return RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
                        f"{offset}, and itemsize {itemsize} requiring a storage size of "
                        f"{needed * itemsize} are out of bounds for storage of size "
                        f"{numel * itemsize}")


def load_tensor_metadata(metadata):
    return pickle.UnpicklingError(f"load: tensor metadata {metadata!r} is not supported")


def load_storage_of_dtype(nbytes, dtype):
    return pickle.UnpicklingError(f"load: a storage of {nbytes} bytes cannot hold elements of "
                                  f"dtype {dtype!r}")


def load_codecs_encode(encoding):
    return pickle.UnpicklingError("load: _codecs.encode is allowed for bytes only (latin-1 "
                                  f"text), got encoding {encoding!r}")


def load_bytearray_of_size(size):
    return pickle.UnpicklingError(f"load: bytearray({size!r}) is not something a pickler "
                                  "writes: a bytearray is rebuilt from its bytes")


# loading under weights_only=True, and the user's allowlist

# Under weights_only=True (the default), torch's words with minitorch's names; (1) says what
# minitorch's default is, and the closing lines say what minitorch loads instead of pointing
# to torch's documentation.
_WEIGHTS_ONLY_DEFAULT = (
    "`minitorch.load` defaults to `weights_only=True`, as `torch.load` does since PyTorch 2.6. "
    "Re-running `minitorch.load` with `weights_only` set to `False` will likely succeed, but it "
    "can result in arbitrary code execution. Do it only if you got the file from a trusted "
    "source.")
_WEIGHTS_ONLY_LOADS = (
    "\n\nWith weights_only=True, minitorch.load rebuilds tensors, nn.Parameters, dtypes, Size, "
    "device and containers (dict, OrderedDict, Counter, list, tuple, set, numbers, str, bytes), "
    "and the classes and functions allowlisted with "
    "`minitorch.serialization.add_safe_globals`. To move a model without trusting its file, "
    "save its state_dict (`minitorch.save(model.state_dict(), f)`) and load that into a model "
    "you build (`model.load_state_dict(minitorch.load(f))`).")


def weights_only_unsupported_global(full_name, allowlist_entry):
    """A name the checkpoint allowlist lacks; allowlist_entry is what to pass to
    add_safe_globals (for a torch name, its minitorch twin under torch's name)."""
    return pickle.UnpicklingError(
        "Weights only load failed. This file can still be loaded, to do so you have two "
        "options, \033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
        f"\n\t(1) {_WEIGHTS_ONLY_DEFAULT}\n\t(2) Alternatively, to load with `weights_only=True` "
        "please check the recommended steps in the following error message.\n\tWeightsUnpickler "
        f"error: Unsupported global: GLOBAL {full_name} was not an allowed global by default. "
        f"Please use `minitorch.serialization.add_safe_globals([{allowlist_entry}])` or the "
        f"`minitorch.serialization.safe_globals([{allowlist_entry}])` context manager to "
        "allowlist this global if you trust this class/function." + _WEIGHTS_ONLY_LOADS)


def weights_only_blocked_module(full_name, module):
    """A name in os, sys, posix or nt: refused even when allowlisted, as torch does."""
    return pickle.UnpicklingError(
        f"Weights only load failed. {_WEIGHTS_ONLY_DEFAULT}\n\n\nTrying to load unsupported "
        f"GLOBAL {full_name} whose module {module} is blocked." + _WEIGHTS_ONLY_LOADS)


def weights_only_build(target_type, what):
    """BUILD (set an object's attributes) on something the file did not make of an allowed
    type: a minitorch object it looked up by name, or an instance of another class."""
    return pickle.UnpicklingError(
        "Weights only load failed. Can only build OrderedDict or Counter or types allowlisted "
        "via `minitorch.serialization.add_safe_globals`, but got "
        f"{target_type}: a checkpoint may not set attributes of {what}")


def weights_only_new_object(cls):
    return pickle.UnpicklingError(
        "Weights only load failed. Can only create new object for the checkpoint's classes or "
        f"classes allowlisted via `minitorch.serialization.add_safe_globals` but got {cls}")


def weights_only_reduce(function):
    """A call (REDUCE) of something that is not a name the file may use."""
    belongs = f" which belongs to {function.__self__}" if hasattr(function, "__self__") else ""
    return pickle.UnpicklingError("Weights only load failed. Trying to call reduce for "
                                  f"unrecognized function {function}{belongs}")


def weights_only_append(target_type):
    return pickle.UnpicklingError(
        f"Weights only load failed. Can only append to lists, but got {target_type}")


def weights_only_set_item(opcode, target_type):
    return pickle.UnpicklingError(
        f"Weights only load failed. Can only {opcode} for dict, collections.OrderedDict, "
        f"collections.Counter, but got {target_type}")


def weights_only_add_items(target_type):
    return pickle.UnpicklingError(
        f"Weights only load failed. Can only add items to sets, but got {target_type}")


def safe_global_tuple_length(length):
    return ValueError("Expected tuple of length 2 (global, str of callable full path), but got "
                      f"tuple of length: {length}")


def safe_global_tuple_name(name_type):
    return TypeError("Expected second item in tuple to be str of callable full path, but got: "
                     f"{name_type}")


# whole objects: the unpicklers' choice, torch's names and minitorch's twins

def load_pickle_module_with_weights_only():
    return RuntimeError("Can not safely load weights when explicit pickle_module is specified")


def load_pickle_module(pickle_module):
    return ValueError(f"load: minitorch reads the pickle with its own unpickler (Python's "
                      f"pickle, extended) and cannot use pickle_module={pickle_module!r}; "
                      "leave it at None or Python's pickle")


def load_pickle_args_ignored():
    """A warning: encoding= and friends given to a weights_only load."""
    return UserWarning("pickle_load_args only works if `weights_only=False`.")


def load_unsupported_dtype(dtype_name):
    """A tensor (or dtype) in the file of a dtype minitorch has no twin of: not a refusal
    of the file, a limit of minitorch's."""
    return TypeError(
        f"load: unsupported dtype {dtype_name}: minitorch's tensors are float16, float32, "
        "float64, uint8, int8, int16, int32, int64 or bool. Convert the tensor in torch (e.g. "
        "`tensor.float()`) and save it again")


def load_class_without_twin(full_name, twin_name):
    """A torch name (a class, a function) minitorch has no twin of the same name for."""
    lacks = f"no {twin_name}" if twin_name else "no twin of it"
    return pickle.UnpicklingError(
        f"load: the file holds {full_name}, and minitorch has {lacks}. A whole object torch "
        "saved loads into minitorch when each of its classes has a minitorch twin of the same "
        "name (torch.nn.modules.conv.Conv2d is minitorch.nn.Conv2d, torch.optim.sgd.SGD is "
        "minitorch.optim.SGD). Save the state_dict of the parts minitorch has instead.")


def load_torch_class(full_name, torch_base):
    """A user's class the file names that derives from torch's classes."""
    return pickle.UnpicklingError(
        f"load: {full_name} is a torch class (it derives from {torch_base}), which minitorch "
        "cannot rebuild: define it on minitorch's classes (`import minitorch as torch`) under "
        "the same module and name, which is where the file's pickle looks it up.")


def unsafe_globals_not_a_checkpoint():
    return ValueError("Expected input to be a checkpoint returned by minitorch.save")


# ---- threads (parallel.py) --------------------------------------------------------------------

def set_num_threads_not_int(value):
    return RuntimeError(f"set_num_threads expects an int, but got {type(value).__name__}")


def set_num_threads_not_positive():
    return RuntimeError("set_num_threads expects a positive integer")
