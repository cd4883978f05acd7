"""torch's `out=` keyword: the result written into a tensor the caller already has.

Every facade function that takes `out=` begins with the same two lines,

    if out is not None:
        return write_out(out, "add", add, input, other, alpha=alpha)

that is, it runs itself again without `out` and hands the result to `write_out`, which
does what torch does around every out= call, in torch's order:

1. autograd: an out= call records no graph, so torch refuses it while grad mode is on
   and an operand (or out itself) requires grad. Ops that have no gradient (comparisons,
   argmax, all...) pass `differentiable=False`: torch lets them through.
2. the result is computed as usual (sum, mean and cumsum compute in out's dtype: their
   callers pass it as dtype=).
3. dtype: each op family has torch's rule for which out dtypes it takes (`check`, one of
   the rules below); most take any dtype the result can be cast into. torch checks this
   before its kernel runs: where the computation finds no kernel for the operands' dtype
   (NotImplementedError), the rule is asked first, about the operands' dtype.
4. shape: an out of another shape is resized to the result's (with torch's deprecation
   warning when it held elements), then the result is written into it.
5. out itself is returned (a tuple of them for max/min along a dim).
"""
import sys
import warnings

import numpy as np

from .. import dtypes, errors
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.views import write
from ..tensor_base import TensorBase
from .factory import shape_from_arguments


# ---- the dtype rules: each returns torch's exception for this result and out, or None -------
# rule(name, result, out, resizing): the result's and out's numpy dtypes; resizing says
# whether out's shape differs from the result's (None when asked before computing)

def castable(name, result, out, resizing=None):
    """Elementwise ops (torch's TensorIterator): any out dtype the result casts into without
    losing its kind (a float result into an integer out, or an integer into bool, is
    refused)."""
    if dtypes.category(result) > dtypes.category(out):
        return errors.result_type_cannot_be_cast(result, out)
    return None


def castable_directly(name, result, out, resizing=None):
    """var, std and the logical ops: castable, computed straight into out (see write_out)."""
    return castable(name, result, out)


def same_dtype(name, result, out, resizing=None):
    """abs, neg, clamp, round, floor, ceil, trunc, sign, ~: out has the result's dtype."""
    return None if result == out else errors.out_dtype_found(out, result)


def exact_dtype(name, result, out, resizing=None):
    """Matrix products, norm, max/min values and argmax: out has the result's dtype."""
    return None if result == out else errors.out_dtype_expected(result, out)


def mv_dtype(name, result, out, resizing=None):
    """Matrix @ vector: exact; into an out of the right shape, torch reaches addmv first,
    whose check words it differently."""
    if result != out and resizing is False:
        return errors.addmv_dtype_mismatch(out, result)
    return exact_dtype(name, result, out)


def input_dtype(name, result, out, resizing=None):
    """amax/amin: out has the input's dtype (the result's)."""
    return None if result == out else errors.out_dtype_not_input_dtype(result, out)


def dot_dtype(name, result, out, resizing=None):
    return None if result == out else errors.dot_out_dtype(result, out)


def where_dtype(name, result, out, resizing=None):
    return None if result == out else errors.where_out_dtype(result, out)


def bool_dtype(name, result, out, resizing=None):
    """all/any: out is bool."""
    return None if out == np.bool_ else errors.out_not_bool(name, out)


def float_dtype(name, result, out, resizing=None):
    """logsumexp: out is a float tensor (the result casts into it)."""
    return None if out.kind == "f" else errors.out_not_float(name, out)


def cat_dtype(name, result, out, resizing=None):
    """cat/stack: the joined tensors cast into out, or torch's TypeError."""
    if dtypes.category(result) > dtypes.category(out):
        return errors.cat_out_cannot_cast(out)
    return None


def factory_dtype(name, result, out, resizing=None):
    """zeros, arange, rand...: computed in out's dtype; a dtype= argument must be out's."""
    return None if result == out else errors.factory_dtype_not_outs(result, out)


def mean_castable(name, result, out, resizing=None):
    """mean() of all elements: castable, in the words of the overload torch runs."""
    if dtypes.category(result) > dtypes.category(out):
        return errors.out_cannot_cast("mean.dtype_out", out)
    return None


def max_castable(name, result, out, resizing=None):
    """max()/min() of all elements: castable, in the words of torch's internal check."""
    if dtypes.category(result) > dtypes.category(out):
        return errors.out_cannot_cast_check()
    return None


# ---- the mechanism ------------------------------------------------------------------------

def write_out(out, name, function, *args, check=castable, differentiable=True,
              result_dtype=None, warn_on_resize=True, **kwargs):
    """function(*args, **kwargs) written into out (a tensor, or a tuple of tensors for a
    function that returns several); `name` is torch's name for the op in its messages.

    check: the dtype rule (a tuple of them, one per out tensor). It looks at the result's
    dtype, or at `result_dtype` before computing, for ops that compute in out's dtype
    (mean, the factory functions): their result's dtype is out's by then.
    warn_on_resize: False for torch's factory functions (zeros, arange...), which resize
    out without a word."""
    outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    if differentiable and is_grad_enabled() and _any_requires_grad(args, kwargs.values(), outs):
        raise errors.out_with_autograd(name)
    checks = check if isinstance(check, tuple) else (check,) * len(outs)
    if result_dtype is not None:
        _check_dtypes(name, checks, [result_dtype] * len(outs), outs, [None] * len(outs))
    try:
        result = function(*args, **kwargs)
    except NotImplementedError:  # torch checks out's dtype before it looks for a kernel
        expected = kwargs.get("dtype") or _operands_dtype(args)
        if expected is not None:
            expected = dtypes.to_np(expected)
            _check_dtypes(name, checks, [expected] * len(outs), outs, [None] * len(outs))
        raise
    results = tuple(result) if isinstance(out, (tuple, list)) else (result,)
    if result_dtype is None:
        _check_dtypes(name, checks, [value._data.dtype for value in results], outs,
                      [value._data.shape != target._data.shape
                       for value, target in zip(results, outs)])
    for target, value, rule in zip(outs, results, checks):
        warnings_given = _resizes(rule, value, target, args) if warn_on_resize else 0
        _resize(target, value._data.shape, warnings_given=warnings_given)
        write(target, value._data)
    return out


def _resizes(rule, value, target, args):
    """How many times torch resizes (and warns about) an out of the wrong shape: twice for
    an elementwise op whose out has neither the result's dtype nor the operands' (torch
    computes into a temporary, resizes out, then copies the temporary into out, resizing
    it again), else once."""
    out_dtype = target._data.dtype
    if rule is castable and out_dtype != value._data.dtype and out_dtype != _operands_dtype(args):
        return 2
    return 1


def _check_dtypes(name, checks, result_dtypes, outs, resizing):
    for rule, result_dtype, target, resized in zip(checks, result_dtypes, outs, resizing):
        refused = rule(name, result_dtype, target._data.dtype, resized)
        if refused is not None:
            raise refused


def _operands_dtype(args):
    """The promoted dtype of the tensor operands (None without any)."""
    arrays = [a._data for a in args if isinstance(a, TensorBase)]
    return dtypes.result_type(*arrays) if arrays else None


def _any_requires_grad(*groups):
    """Does any tensor among the operands (inside lists too: cat's) require grad?"""
    for group in groups:
        for value in group:
            if isinstance(value, (tuple, list)):
                if _any_requires_grad(value):
                    return True
            elif isinstance(value, TensorBase) and value._requires_grad:
                return True
    return False


def resize_(input, *size, memory_format=None):
    """x.resize_(shape): x takes the shape, keeping its first elements where its memory
    holds enough of them (new elements are uninitialised); the way torch's deprecation
    warning for out= tells to empty an out tensor before reusing it: x.resize_(0)."""
    if input._requires_grad:
        raise errors.resize_of_tensor_requiring_grad()
    _resize(input, shape_from_arguments(size))
    return input


def _resize(out, shape, warnings_given=0):
    """Give out the result's shape, as torch's resize_output: an out that held elements is
    resized with torch's warning (write_out's); its first elements keep their memory where
    it has enough."""
    data = out._data
    if data.shape == shape:
        return
    for _ in range(warnings_given if data.size else 0):
        warnings.warn(errors.out_resized(data.shape, shape), stacklevel=_caller_outside())
    size = int(np.prod(shape))
    if data.flags.c_contiguous and data.size >= size:
        out._data = data.reshape(-1)[:size].reshape(shape)
    else:
        out._data = np.empty(shape, dtype=data.dtype)


def _caller_outside():
    """warnings.warn's stacklevel for the first caller outside minitorch, so that the
    warning names the user's line (out= calls reach write_out through one or two minitorch
    functions)."""
    frame, level = sys._getframe(2), 2  # (level 1: the function that calls warnings.warn)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "minitorch":
        frame, level = frame.f_back, level + 1
    return level
