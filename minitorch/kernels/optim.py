"""sgd_update: one SGD step of one parameter in a single pass over its elements.

optim/sgd.py writes the step as numpy array operations, four or five of them per
parameter, each a trip through memory and about a microsecond of numpy's call overhead
(LeNet's step updates ten parameters). This loop does the same arithmetic, in the same
order and the same dtype, element by element: its results equal the numpy version's bit
for bit (tests/test_kernels.py), so it is a faster way to run that code, not other math.
"""
from numba import njit


@njit(cache=True, nogil=True)
def sgd_update(param, grad, buffer, constants, decay, momentum, nesterov, maximize, first):
    """For each element p of param, with d its gradient and constants = (lr, momentum
    factor m, keep = 1 - dampening, weight_decay) in param's dtype (as numpy casts a
    Python number):

        d = -d                                        if maximize
        d = d + weight_decay * p                      if decay
        b = d (first step), else b = m * b + keep * d     if momentum
        d = d + m * b (nesterov), else d = b          if momentum
        p = p - lr * d

    param, grad and buffer are C-contiguous arrays of one shape and dtype (buffer is
    neither read nor written without momentum). keep * d is skipped when keep is 1, as
    the numpy version skips it without dampening (the same value: x * 1 == x)."""
    lr, m, keep, weight_decay = constants[0], constants[1], constants[2], constants[3]
    p, g, b = param.reshape(-1), grad.reshape(-1), buffer.reshape(-1)
    for i in range(p.size):
        d = -g[i] if maximize else g[i]
        if decay:
            d = d + weight_decay * p[i]
        if momentum:
            if first:
                b[i] = d
            else:
                b[i] = m * b[i] + (d if keep == 1 else keep * d)
            d = d + m * b[i] if nesterov else b[i]
        p[i] = p[i] - lr * d
