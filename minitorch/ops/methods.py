"""Tensor's methods and operators, each the op of the same name (x.exp() is exp(x))."""
from ..tensor import Tensor
from . import elementwise as E
from . import linalg as L
from . import reduce as R
from . import shape as S
from . import softmax as SM


def _inplace(fn):
    def method(self, *args, **kwargs):
        return self._inplace(fn, *args, **kwargs)
    method.__name__ = fn.__name__ + "_"
    return method


METHODS = {
    # arithmetic and math
    "add": E.add, "sub": E.sub, "subtract": E.sub, "mul": E.mul, "multiply": E.mul,
    "div": E.div, "divide": E.div, "true_divide": E.div, "pow": E.pow, "neg": E.neg,
    "negative": E.neg, "reciprocal": E.reciprocal, "square": E.square,
    "abs": E.abs, "exp": E.exp, "log": E.log, "sqrt": E.sqrt, "rsqrt": E.rsqrt, "sin": E.sin,
    "cos": E.cos, "tanh": E.tanh, "sigmoid": E.sigmoid, "relu": E.relu, "clamp": E.clamp,
    "clip": E.clamp, "maximum": E.maximum, "minimum": E.minimum,
    "where": lambda self, condition, other: E.where(condition, self, other),
    "eq": E.eq, "ne": E.ne, "lt": E.lt, "le": E.le, "gt": E.gt, "ge": E.ge,
    "logical_not": E.logical_not, "logical_and": E.logical_and, "logical_or": E.logical_or,
    # reductions
    "sum": R.sum, "mean": R.mean, "var": R.var, "std": R.std, "max": R.max, "min": R.min,
    "amax": R.amax, "amin": R.amin, "argmax": R.argmax, "argmin": R.argmin,
    "logsumexp": R.logsumexp, "softmax": SM.softmax, "log_softmax": SM.log_softmax, "all": R.all, "any": R.any, "norm": R.norm,
    "isnan": E.isnan, "isinf": E.isinf, "isfinite": E.isfinite, "equal": E.equal,
    "allclose": E.allclose,
    # products
    "matmul": L.matmul, "mm": L.mm, "bmm": L.bmm, "dot": L.dot, "mv": L.mv, "addmm": L.addmm,
    # shape
    "view": S.view, "reshape": S.reshape, "flatten": S.flatten, "unflatten": S.unflatten,
    "permute": S.permute, "transpose": S.transpose, "swapaxes": S.transpose, "t": S.t,
    "expand": S.expand, "expand_as": S.expand_as, "squeeze": S.squeeze,
    "unsqueeze": S.unsqueeze, "clone": S.clone, "contiguous": S.contiguous,
    "split": S.split, "chunk": S.chunk, "unbind": S.unbind, "narrow": S.narrow,
    "view_as": lambda self, other: S.view(self, other.shape),
    "reshape_as": lambda self, other: S.reshape(self, other.shape),
    "__getitem__": S.getitem, "__setitem__": S.setitem,
    "copy_": S.copy_, "fill_": S.fill_, "zero_": S.zero_,
    # operators
    "__add__": E.add, "__radd__": E.add, "__sub__": E.sub, "__rsub__": E.rsub,
    "__mul__": E.mul, "__rmul__": E.mul, "__truediv__": E.div,
    "__rtruediv__": lambda self, other: E.div(other, self), "__pow__": E.pow,
    "__rpow__": lambda self, other: E.pow(other, self), "__matmul__": L.matmul,
    "__rmatmul__": lambda self, other: L.matmul(other, self), "__neg__": E.neg,
    "__abs__": E.abs, "__eq__": E.eq, "__ne__": E.ne, "__lt__": E.lt, "__le__": E.le,
    "__gt__": E.gt, "__ge__": E.ge, "__invert__": E.bitwise_not,
    "__and__": E.bitwise_and, "__or__": E.bitwise_or, "__xor__": E.bitwise_xor,
    "__rand__": E.bitwise_and, "__ror__": E.bitwise_or, "__rxor__": E.bitwise_xor,
    "bitwise_and": E.bitwise_and, "bitwise_or": E.bitwise_or, "bitwise_xor": E.bitwise_xor,
    "bitwise_not": E.bitwise_not,
    "__floordiv__": lambda self, other: E.div(self, other, rounding_mode="floor"),
    "__iadd__": _inplace(E.add), "__isub__": _inplace(E.sub), "__imul__": _inplace(E.mul),
    "__itruediv__": _inplace(E.div),
}

# x.add_(y) is x.add(y) written into x's own storage
for _name in ("add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "sqrt", "sin",
              "cos", "tanh", "sigmoid", "relu", "clamp", "clip", "reciprocal", "square"):
    METHODS[_name + "_"] = _inplace(METHODS[_name])


def _t_(self):
    """Transpose in place: self becomes the transposed view of its own storage, as in torch."""
    S.t(self)  # the same checks as t()
    self._data = self._data.T
    self._vc[0] += 1
    return self


METHODS["t_"] = _t_

for _name, _fn in METHODS.items():
    setattr(Tensor, _name, _fn)
