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
