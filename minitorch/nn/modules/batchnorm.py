"""BatchNorm1d, BatchNorm2d, BatchNorm3d: normalize each channel over the batch.

In training a layer normalizes with the batch's own mean and (biased) variance and, with
track_running_stats, keeps running estimates of both (buffers running_mean, running_var,
moved by `momentum`, or averaged over every batch so far when momentum is None, counted in
num_batches_tracked). In evaluation it normalizes with those estimates, or with the batch's
statistics when it keeps none. weight and bias (affine) scale and shift each channel.
"""
from ...creation import empty, ones, tensor, zeros
from ... import dtypes, errors
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


class _NormBase(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(empty(num_features, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(num_features, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked",
                                 tensor(0, dtype=dtypes.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input):
        raise NotImplementedError

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")

    def _load(self, state_dict, prefix, *args):
        """A checkpoint without num_batches_tracked (saved before torch had it) loads with
        the count as it is, as torch loads one without version metadata."""
        key = prefix + "num_batches_tracked"
        if self.track_running_stats and key not in state_dict:
            state_dict = {**state_dict, key: self.num_batches_tracked}
        super()._load(state_dict, prefix, *args)


class _BatchNorm(_NormBase):
    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            # momentum None: the cumulative average, each batch weighing 1 / batches so far
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None \
                else self.momentum
        # the batch's statistics in training, and in evaluation when no estimates are kept
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        # the estimates move only in training with track_running_stats
        use_buffers = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if use_buffers else None,
                            self.running_var if use_buffers else None, self.weight, self.bias,
                            use_batch, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """Over (N, C) or (N, C, L)."""

    def _check_input_dim(self, input):
        if input.dim() not in (2, 3):
            raise errors.batch_norm_input_rank("2D or 3D", input.dim())


class BatchNorm2d(_BatchNorm):
    """Over (N, C, H, W)."""

    def _check_input_dim(self, input):
        if input.dim() != 4:
            raise errors.batch_norm_input_rank("4D", input.dim())


class BatchNorm3d(_BatchNorm):
    """Over (N, C, D, H, W)."""

    def _check_input_dim(self, input):
        if input.dim() != 5:
            raise errors.batch_norm_input_rank("5D", input.dim())
