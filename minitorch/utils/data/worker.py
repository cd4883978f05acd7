"""What runs inside a DataLoader worker process, and what it sends back.

Each worker waits on its own index queue for `(batch_number, indices)`, reads and collates
that batch, and puts `(batch_number, batch)` on the queue shared by all workers; the main
process puts the batches back in order. A failure is sent back as an ExceptionWrapper
(the exception's type and traceback text), which the main process re-raises.

A worker must never outlive its main process: see watch_parent.
"""
import dataclasses
import os
import random
import sys
import threading
import time
import traceback

import numpy as np

from ...creation import manual_seed
from .fetch import fetch

# How often a worker checks that its main process is still there. A few seconds at most
# between a main process killed and its workers gone; the check (one getppid call) is free.
PARENT_CHECK_INTERVAL = 1.0


@dataclasses.dataclass
class WorkerInfo:
    """Who this worker is: get_worker_info() returns it inside a worker."""
    id: int
    num_workers: int
    seed: int
    dataset: object


_worker_info = None


def get_worker_info():
    """The WorkerInfo of this DataLoader worker process; None in the main process. A
    dataset or worker_init_fn can use it to split work or seed itself per worker."""
    return _worker_info


class ResumeIteration:
    """Sent to persistent workers at the start of a new epoch; they echo it back, so the
    main process knows everything before it on the data queue belongs to the old epoch."""


class ExceptionWrapper:
    """The exception being handled, in a form that survives pickling: its type and its
    formatted traceback (traceback objects themselves cannot cross processes)."""

    def __init__(self, where):
        exc_type, exc_value, exc_tb = sys.exc_info()
        self.exc_type = exc_type
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        self.where = where

    def reraise(self):
        """Raise the same exception type, its message naming where it happened followed by
        the original traceback ("Caught ValueError in DataLoader worker process 0. ...")."""
        raise self._rebuilt()

    def _rebuilt(self):
        """The exception to raise. (Made here, not held in a local of reraise: that local
        would sit in its own traceback's frame, a cycle keeping the DataLoader iterator,
        and so its workers, alive until the garbage collector runs.)"""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = _KeyErrorMessage(msg)  # KeyError would print the repr: one long line
        try:
            return self.exc_type(msg)
        except Exception:
            # the type needs other arguments: no way to rebuild it, say it in a RuntimeError
            return RuntimeError(msg)


class _KeyErrorMessage(str):
    """A message that KeyError prints as text rather than as a quoted repr."""

    def __repr__(self):
        return self


def seed_worker(base_seed, worker_id):
    """Seed this worker's random streams as torch does: Python's `random` and minitorch with
    base_seed + worker_id, numpy's legacy global stream with a SeedSequence hash of both (so
    no two workers, nor `random` and numpy, share a stream). Returns the seed."""
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    np.random.seed(np.random.SeedSequence(entropy, pool_size=4).generate_state(4))
    return seed


def watch_parent(parent_pid):
    """End this worker process once `parent_pid` is no longer its parent (checked every
    PARENT_CHECK_INTERVAL seconds).

    When the main process dies (SIGKILL, SIGTERM, a crash: no chance to shut its workers
    down), the kernel re-parents its children, so os.getppid() changes; torch's workers
    watch for the same (its ManagerWatchdog). The check runs in a thread of its own and
    ends the process with os._exit, because the worker's own thread may be blocked for
    good: in a dataset's __getitem__, or on the way out, where Python waits for the data
    queue's feeder thread to flush, and that thread is stuck writing a batch into a full
    pipe that nobody reads any more (the workers hold its read end open themselves, as
    forked copies of the queue, so the write never fails). os._exit skips all of that.
    """
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="DataLoader parent watchdog", daemon=True).start()


def worker_loop(dataset, index_queue, data_queue, done_event, auto_collation, collate_fn,
                base_seed, init_fn, worker_id, num_workers, parent_pid):
    """The body of worker process `worker_id`: seed, run init_fn, then serve batches until
    told to stop (None on the index queue). The process ends within PARENT_CHECK_INTERVAL
    if its parent goes: `parent_pid`, or whoever started it when that is None (a fork
    server)."""
    global _worker_info
    watch_parent(os.getppid() if parent_pid is None else parent_pid)
    try:
        seed = seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_error = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
        except Exception:
            init_error = ExceptionWrapper(where)  # reported with the first batch asked for
        while True:
            task = index_queue.get()
            if task is None:
                break
            if isinstance(task, ResumeIteration):
                data_queue.put((task, None))
                continue
            if done_event.is_set():
                continue  # shutting down: drain the queue without working
            batch_number, indices = task
            if init_error is not None:
                result, init_error = init_error, None
            else:
                try:
                    result = fetch(dataset, indices, auto_collation, collate_fn)
                except Exception:
                    result = ExceptionWrapper(where)
            data_queue.put((batch_number, result))
            del result, task, indices
    # A SystemExit (a dataset calling sys.exit(3)) is not caught: the process ends with that
    # exit code, which the main process reports.
    except KeyboardInterrupt:
        pass  # the main process sees it and shuts the workers down
    if done_event.is_set():
        # nobody reads the data queue any more: exit without flushing it
        data_queue.cancel_join_thread()
        data_queue.close()
