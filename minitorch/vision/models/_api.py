"""Pretrained weights as torchvision describes them: an enum per model, one member per set.

    weights = ResNet18_Weights.DEFAULT          # == ResNet18_Weights.IMAGENET1K_V1
    weights.url                                 # where torchvision's file is
    weights.meta["categories"][i]               # the name of class i
    preprocess = weights.transforms()           # resize, crop, scale, normalize
    model = resnet18(weights=weights)           # or weights="DEFAULT"

`get_state_dict` reads the file through the torch.hub cache (minitorch/hub.py), so a file
torchvision downloaded serves minitorch too. The builders also take the pre-0.13 forms
(`pretrained=True`, positional arguments) with torchvision's deprecation warnings.
"""
import functools
import inspect
import warnings
from dataclasses import dataclass
from enum import Enum
from functools import partial

from ... import errors
from ...hub import load_state_dict_from_url


@dataclass
class Weights:
    """One set of weights: the url of its file, the transform its training used (a
    constructor, called only when asked for: a transform may hold state), and meta data
    (categories, accuracy, number of parameters...)."""

    url: str
    transforms: object
    meta: dict

    def __eq__(self, other):
        # Two partials of the same call are not ==; comparing their parts lets an enum
        # member survive a deepcopy or pickle round trip (Enum looks the value up again).
        if not isinstance(other, Weights):
            return NotImplemented
        if self.url != other.url or self.meta != other.meta:
            return False
        if isinstance(self.transforms, partial) and isinstance(other.transforms, partial):
            return (self.transforms.func == other.transforms.func
                    and self.transforms.args == other.transforms.args
                    and self.transforms.keywords == other.transforms.keywords)
        return self.transforms == other.transforms


class WeightsEnum(Enum):
    """The parent of every model's weights enum (ResNet18_Weights, ...); its values are
    Weights. DEFAULT is an alias of the best set."""

    @classmethod
    def verify(cls, obj):
        """obj as a member of this enum: None stays None, a name ("DEFAULT" or
        "ResNet18_Weights.DEFAULT") is looked up (KeyError if unknown), a member of
        another enum or anything else is a TypeError."""
        if obj is not None:
            if type(obj) is str:
                obj = cls[obj.replace(cls.__name__ + ".", "")]
            elif not isinstance(obj, cls):
                raise errors.weights_of_another_class(cls.__name__, obj.__class__.__name__)
        return obj

    def get_state_dict(self, *args, **kwargs):
        """The state_dict in the weights file: from the hub cache, downloaded when absent."""
        return load_state_dict_from_url(self.url, *args, **kwargs)

    def __repr__(self):
        return f"{self.__class__.__name__}.{self._name_}"

    @property
    def url(self):
        return self.value.url

    @property
    def transforms(self):
        return self.value.transforms

    @property
    def meta(self):
        return self.value.meta


def _sequence_to_str(seq, separate_last=""):
    """'a', 'b' and 'c' (torchvision's way of listing names in a warning)."""
    if len(seq) == 1:
        return f"'{seq[0]}'"
    head = "'" + "', '".join(str(item) for item in seq[:-1]) + "'"
    return head + f"{'' if separate_last and len(seq) == 2 else ','} {separate_last}'{seq[-1]}'"


def kwonly_to_pos_or_kw(fn):
    """Let fn's keyword-only parameters be passed by position again, with torchvision's
    deprecation warning (builders took `resnet18(True)` before 0.13)."""
    params = tuple(inspect.signature(fn).parameters.values())
    start = next(i for i, p in enumerate(params) if p.kind == p.KEYWORD_ONLY)
    keyword_only = [p.name for p in params[start:]]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        args, keyword_only_args = args[:start], args[start:]
        if keyword_only_args:
            passed = dict(zip(keyword_only, keyword_only_args))
            warnings.warn(f"Using {_sequence_to_str(tuple(passed), separate_last='and ')} as "
                          "positional parameter(s) is deprecated since 0.13 and may be removed "
                          "in the future. Please use keyword parameter(s) instead.")
            kwargs.update(passed)
        return fn(*args, **kwargs)
    return wrapper


def handle_legacy_interface(**weights):
    """Decorate a builder so that the pre-0.13 `pretrained=True/False` (by keyword or by
    position) still works, as torchvision: True means the weights given here (for
    resnet50, IMAGENET1K_V1, not DEFAULT), False means None, each with torchvision's
    warnings. `weights=` given as an enum member, a name or None passes untouched."""
    def outer_wrapper(builder):
        @kwonly_to_pos_or_kw
        @functools.wraps(builder)
        def inner_wrapper(*args, **kwargs):
            for weights_param, (pretrained_param, default) in weights.items():
                sentinel = object()
                weights_arg = kwargs.get(weights_param, sentinel)
                if ((weights_param not in kwargs and pretrained_param not in kwargs)
                        or isinstance(weights_arg, WeightsEnum)
                        or (isinstance(weights_arg, str) and weights_arg != "legacy")
                        or weights_arg is None):
                    continue
                # a positional `pretrained` arrives as weights (the new signature's name)
                pretrained_positional = weights_arg is not sentinel
                if pretrained_positional:
                    kwargs[pretrained_param] = pretrained_arg = kwargs.pop(weights_param)
                else:
                    pretrained_arg = kwargs[pretrained_param]
                if pretrained_arg:
                    default_weights_arg = default(kwargs) if callable(default) else default
                    if not isinstance(default_weights_arg, WeightsEnum):
                        raise errors.weights_unavailable(builder.__name__)
                else:
                    default_weights_arg = None
                if not pretrained_positional:
                    warnings.warn(f"The parameter '{pretrained_param}' is deprecated since 0.13 "
                                  "and may be removed in the future, please use "
                                  f"'{weights_param}' instead.")
                message = (f"Arguments other than a weight enum or `None` for '{weights_param}' "
                           "are deprecated since 0.13 and may be removed in the future. The "
                           "current behavior is equivalent to passing "
                           f"`{weights_param}={default_weights_arg}`.")
                if pretrained_arg:
                    message += (f" You can also use `{weights_param}="
                                f"{type(default_weights_arg).__name__}.DEFAULT` to get the most "
                                "up-to-date weights.")
                warnings.warn(message)
                del kwargs[pretrained_param]
                kwargs[weights_param] = default_weights_arg
            return builder(*args, **kwargs)
        return inner_wrapper
    return outer_wrapper


def _overwrite_named_param(kwargs, param, new_value):
    """Set kwargs[param] to what the weights need (num_classes=1000 for ImageNet weights);
    a different value the caller gave is a ValueError."""
    if param in kwargs:
        if kwargs[param] != new_value:
            raise errors.model_param_conflicts_with_weights(param, new_value, kwargs[param])
    else:
        kwargs[param] = new_value
