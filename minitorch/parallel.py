"""How minitorch uses the machine's cores: torch's set_num_threads and get_num_threads, and
the two ways an op spreads its work over them.

One team of threads does all of it, as torch's one intra-op pool does: the thread that
called the op plus get_num_threads() - 1 helpers (started on first use). An op
that is worth splitting (`over_batch`) hands each thread a consecutive part of its batch;
the Numba kernels release the GIL (`nogil=True`), so the parts run at the same time.

Matrix products (`matmul`) run on numpy's BLAS with one BLAS thread per minitorch thread,
their rows split over the team when large. Why not let BLAS use its own threads: after a
product, OpenBLAS's threads spin for about 0.1 s waiting for the next one, and on a
2-core machine they then take the core that the second half of a kernel needs (measured:
a Conv2d kernel split in two took 2.5 ms on an idle machine, 12.4 ms right after a BLAS
product, the same as unsplit). OpenBLAS's thread count is set per calling thread
(`openblas_set_num_threads_local`), for the product only, and put back after it: numpy's
BLAS keeps its own threads for everything else in the process. Where numpy's BLAS is not
an OpenBLAS with that call, products run as numpy runs them. (A convolution with many
channels, im2col and one large product per slice of the batch, leaves its products to
BLAS's own threads: split over minitorch's, two slices of columns would be in memory.)

Results do not depend on the thread count, except sums over the batch (a weight's
gradient), whose parts are added in a fixed order: they differ from one thread's sum by
rounding only.
"""
import ctypes
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import errors

# Below twice this much work (multiply-adds, or elements touched) an op runs on the
# calling thread alone: handing a part to a helper costs about 30 us. (Measured on the
# CIFAR LeNet step, ratio to torch at batch 4 / 16 / 64: 2^21: 1.31 / 0.94 / 0.90;
# 2^20: 1.31 / 0.95 / 0.94; 2^19: 1.05 / 0.98 / 0.97, batch 4's convolutions split.)
MIN_PARALLEL_WORK = 1 << 20

# A product of at most this many multiply-adds OpenBLAS runs on the calling thread alone
# (its GEMM_MULTITHREAD_THRESHOLD: 4 * 65536), so it wakes none of OpenBLAS's threads.
BLAS_ONE_THREAD_WORK = 4 * 65536

_requested = None          # set_num_threads's count (None: not asked yet)
_team = {"pool": None, "size": 0, "pid": None}
_team_lock = threading.Lock()


def get_num_threads():
    """The number of threads minitorch's ops use: set_num_threads's, else one per CPU this
    process may run on when first asked (torch's default on this machine is the same 2)."""
    global _requested
    if _requested is None:
        _requested = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1)
    return _requested


def set_num_threads(n):
    """Use n threads for the ops that split their work (n >= 1)."""
    global _requested
    if type(n) is not int:
        raise errors.set_num_threads_not_int(n)
    if n < 1:
        raise errors.set_num_threads_not_positive()
    _requested = n


def over_batch(n, work_per_item, run):
    """run(part) for consecutive parts (slices) of range(n), one per thread, the calling
    thread taking the first; the results in order. Each part gets at least
    MIN_PARALLEL_WORK of the work (n * work_per_item): one part, run here, when there is
    less than twice that, or when one thread is asked for."""
    work = n * work_per_item
    threads = 1 if work < 2 * MIN_PARALLEL_WORK else min(get_num_threads(), n,
                                                          work // MIN_PARALLEL_WORK)
    if threads <= 1:
        return [run(slice(0, n))]
    bounds = [n * i // threads for i in range(threads + 1)]
    parts = [slice(start, stop) for start, stop in zip(bounds, bounds[1:])]
    pending = [_helpers(threads - 1).submit(run, part) for part in parts[1:]]
    first = run(parts[0])
    return [first] + [done.result() for done in pending]


def matmul(a, b):
    """a @ b on BLAS with one BLAS thread, rows of a split over minitorch's threads when the
    product is large (each part's rows are the same sums, so the result does not depend on
    the split)."""
    if a.ndim < 2 or b.ndim < 2:
        return on_one_blas_thread(np.matmul, a, b)
    if a.shape[-1] == 1 and a.ndim == b.ndim == 2:
        # an outer product (Linear's weight gradient at batch 1): one product an element,
        # no sums; OpenBLAS takes 69 us for 120x1 @ 1x400, the broadcast product 17 us
        return a * b
    work = a.shape[-2] * a.shape[-1] * b.shape[-1]
    if work <= BLAS_ONE_THREAD_WORK:   # (OpenBLAS runs these on one thread itself)
        return np.matmul(a, b)
    if work < 2 * MIN_PARALLEL_WORK:
        return on_one_blas_thread(np.matmul, a, b)
    rows = a.shape[-2]
    parts = over_batch(rows, a.shape[-1] * b.shape[-1],
                       lambda part: on_one_blas_thread(np.matmul, a[..., part, :], b))
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-2)


def on_one_blas_thread(product, *operands):
    """product(*operands) with this thread's BLAS on one thread (put back afterwards)."""
    set_local = _blas_threads_setter()
    if set_local is None:
        return product(*operands)
    before = set_local(1)
    try:
        return product(*operands)
    finally:
        set_local(before)


def _helpers(count):
    """The helper threads (at least `count`), made again after a fork (a forked child
    has none of its parent's threads)."""
    with _team_lock:
        if _team["pid"] != os.getpid() or _team["size"] < count:
            if _team["pid"] == os.getpid():
                _team["pool"].shutdown(wait=False)   # (a smaller team, asked for before)
            _team["pool"] = ThreadPoolExecutor(count, thread_name_prefix="minitorch")
            _team["size"], _team["pid"] = count, os.getpid()
        return _team["pool"]


@functools.cache
def _blas_threads_setter():
    """OpenBLAS's per-thread thread count setter, from the OpenBLAS numpy loaded (None if
    numpy's BLAS is something else, or an OpenBLAS older than 0.3.27); looked up once."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:      # not Linux
        return None
    for path in sorted(paths):
        try:
            setter = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter
    return None
