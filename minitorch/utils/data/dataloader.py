"""DataLoader: iterate over a dataset in (shuffled) batches, optionally read in background
worker processes, as torch.utils.data.DataLoader.

The loader itself only checks its options and builds the samplers. Each `iter(loader)`
makes an iterator: _SingleProcessIter reads batches in the caller's process,
_MultiProcessIter has `num_workers` processes read them ahead.
"""
import itertools
import multiprocessing
import os
import queue
import signal
import time
import warnings

from .collate import default_collate, default_convert
from .fetch import fetch
from .sampler import BatchSampler, RandomSampler, SequentialSampler, draw_seed
from .worker import ExceptionWrapper, ResumeIteration, worker_loop

# How long the main process waits for a batch before checking that every worker is still
# alive (then it waits again). A batch that is ready is taken at once, so this costs the
# normal path nothing; it bounds how long a dead worker goes unnoticed.
WORKER_CHECK_INTERVAL = 0.1
# How long a worker gets to finish its batch and exit when the workers are shut down,
# before it is terminated (torch's MP_STATUS_CHECK_INTERVAL).
SHUTDOWN_GRACE = 5.0


class DataLoader:
    """Batches of `dataset`: indices from a sampler (sequential, or shuffled afresh each
    epoch), grouped by a BatchSampler, read and merged by collate_fn.

    batch_size=None turns batching off (each item is one sample, through default_convert).
    num_workers > 0 reads batches in that many worker processes, prefetch_factor batches
    ahead per worker, yielded in sampler order; persistent_workers keeps them between epochs.
    """

    _frozen = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
               "persistent_workers")

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; "
                             "use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = _start_context(multiprocessing_context, num_workers)
        self.in_order = in_order

        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self._initialized = True

    def __setattr__(self, attr, value):
        if getattr(self, "_initialized", False) and attr in self._frozen:
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(attr, value)

    @property
    def _auto_collation(self):
        """Whether indices come in batches (a batch_sampler) rather than one by one."""
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        return len(self._index_sampler)

    def __iter__(self):
        """A new iterator per epoch; with persistent workers, the same one, restarted."""
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if not self.persistent_workers:
            return _MultiProcessIter(self)
        if self._iterator is None:
            self._iterator = _MultiProcessIter(self)
        else:
            self._iterator._reset(self)
        return self._iterator


def _start_context(context, num_workers):
    """The multiprocessing_context option checked as torch checks it: None, a start-method
    name (turned into its context) or a context object, and only with workers."""
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError("multiprocessing_context can only be used with multi-process loading "
                         f"(num_workers > 0), but got num_workers={num_workers}")
    if isinstance(context, str):
        valid = multiprocessing.get_all_start_methods()
        if context not in valid:
            raise ValueError(f"multiprocessing_context option should specify a valid start "
                             f"method in {valid!r}, but got multiprocessing_context={context!r}")
        context = multiprocessing.get_context(context)
    if not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError("multiprocessing_context option should be a valid context object or a "
                        f"string specifying the start method, but got "
                        f"multiprocessing_context={context}")
    return context


def _default_context():
    """fork where the system has it (workers start fast and inherit the dataset)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _BaseIter:
    """What both iterators share: the sampler pass of this epoch and the base seed."""

    def __init__(self, loader):
        self._dataset = loader.dataset
        self._auto_collation = loader._auto_collation
        self._collate_fn = loader.collate_fn
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        # The workers' seeds derive from it. Drawn with or without workers, as torch does,
        # so a seeded run shuffles the same whatever num_workers is.
        self._base_seed = draw_seed(loader.generator)
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._index_sampler)


class _SingleProcessIter(_BaseIter):
    """Reads each batch when asked, in the caller's process."""

    def __next__(self):
        index = next(self._sampler_iter)
        return fetch(self._dataset, index, self._auto_collation, self._collate_fn)


class _MultiProcessIter(_BaseIter):
    """Batches read ahead by worker processes.

    Batch n of the epoch goes to worker n % num_workers (its own index queue); all workers
    answer on one data queue, in whatever order they finish. Batches that arrive early wait
    in `_task_info` until their turn, so the caller sees sampler order (unless in_order is
    False). At most prefetch_factor * num_workers batches are in flight: each batch handed
    to the caller sends the next indices out.
    """

    def __init__(self, loader):
        super().__init__(loader)
        if loader.prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        self._num_workers = loader.num_workers
        self._prefetch_factor = loader.prefetch_factor
        self._persistent_workers = loader.persistent_workers
        self._in_order = loader.in_order
        self._timeout = loader.timeout
        self._shutdown = False
        context = loader.multiprocessing_context or _default_context()
        # The process a worker watches, to exit when it is gone (worker.watch_parent): this
        # one, except under a fork server, which is then the workers' parent and the process
        # they watch, as torch's do. (Not watertight: the server outlives this process for as
        # long as the workers it forked live, so a killed main process leaves them running.)
        parent_pid = None if context.get_start_method() == "forkserver" else os.getpid()
        self._done_event = context.Event()
        self._data_queue = context.Queue()
        self._index_queues, self._workers = [], []
        for worker_id in range(self._num_workers):
            index_queue = context.Queue()
            index_queue.cancel_join_thread()
            worker = context.Process(
                target=worker_loop, daemon=True,
                args=(self._dataset, index_queue, self._data_queue, self._done_event,
                      self._auto_collation, self._collate_fn, self._base_seed,
                      loader.worker_init_fn, worker_id, self._num_workers, parent_pid))
            worker.start()
            self._index_queues.append(index_queue)
            self._workers.append(worker)
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        """Start an epoch: a new sampler pass, batch numbers from 0, the queues primed.
        Persistent workers are first told to resume, and what the previous epoch left on
        the data queue is thrown away until each has answered."""
        if not first_iter:
            self._sampler_iter = iter(self._index_sampler)
            for index_queue in self._index_queues:
                index_queue.put(ResumeIteration())
            waiting = self._num_workers
            while waiting > 0:
                batch_number, _ = self._get_data()
                waiting -= isinstance(batch_number, ResumeIteration)
        self._send_idx = 0   # the number the next batch sent to a worker gets
        self._rcvd_idx = 0   # the number of the next batch to hand to the caller
        # batch number -> (worker_id,) while in flight, (worker_id, batch) once arrived early
        self._task_info = {}
        self._next_worker = itertools.cycle(range(self._num_workers))
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        """Send the sampler's next batch of indices to the next worker, if any are left."""
        try:
            index = next(self._sampler_iter)
        except StopIteration:
            return
        worker_id = next(self._next_worker)
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._send_idx += 1

    def __next__(self):
        while True:
            # batches already handed out (also out of order) leave gaps to skip
            while self._rcvd_idx < self._send_idx and self._rcvd_idx not in self._task_info:
                self._rcvd_idx += 1
            if self._rcvd_idx >= self._send_idx:  # nothing in flight: the epoch is over
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            info = self._task_info[self._rcvd_idx]
            if len(info) == 2:  # it arrived earlier
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                return self._process_data(info[1])
            batch_number, data = self._get_data()
            if batch_number == self._rcvd_idx or not self._in_order:
                del self._task_info[batch_number]
                return self._process_data(data)
            self._task_info[batch_number] += (data,)

    def _get_data(self):
        """The next (batch number, batch) any worker sends; RuntimeError if a worker died
        or, with a timeout, if nothing came in time.

        The wait is cut into WORKER_CHECK_INTERVAL slices with a check of the workers in
        between, as torch does (torch is also woken at once by SIGCHLD): a worker that died
        (killed, crashed, or a dataset calling sys.exit) is reported within a fraction of a
        second instead of leaving this process waiting for a batch that never comes."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            wait = WORKER_CHECK_INTERVAL
            if deadline is not None:
                wait = max(0.0, min(wait, deadline - time.monotonic()))
            try:
                return self._data_queue.get(timeout=wait)
            except queue.Empty:
                pass
            self._raise_if_a_worker_died()
            if deadline is not None and time.monotonic() >= deadline:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _raise_if_a_worker_died(self):
        """Shut the workers down and raise torch's RuntimeError if any of them has ended:
        "DataLoader worker (pid(s) 12345) exited unexpectedly", caused by a RuntimeError
        that says how the first of them ended (its exit code, or the signal that killed it)
        as torch's SIGCHLD handler words it."""
        dead = [worker for worker in self._workers if not worker.is_alive()]
        if not dead:
            return
        endings = [_how_it_ended(worker) for worker in dead]
        cause = next((RuntimeError(text) for text in endings if text is not None), None)
        self._shutdown_workers()
        pids = ", ".join(str(worker.pid) for worker in dead)
        raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly") from cause

    def _process_data(self, data):
        """Refill the pipeline, then hand out the batch, or raise the worker's exception."""
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        return data

    def _shutdown_workers(self):
        """Stop every worker and wait for it (no zombies): set the done event, send each
        None, join; a worker stuck in a long fetch is terminated after a grace period."""
        if self._shutdown:
            return
        self._shutdown = True
        self._done_event.set()
        for index_queue in self._index_queues:
            index_queue.put(None)
        for worker in self._workers:
            worker.join(timeout=SHUTDOWN_GRACE)
            if worker.is_alive():
                worker.terminate()
                worker.join()
        for q in self._index_queues + [self._data_queue]:
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        if hasattr(self, "_workers"):  # __init__ may have failed before starting any
            self._shutdown_workers()


def _how_it_ended(worker):
    """torch's words for how a worker process that ended abnormally ended: the signal that
    killed it, or its exit code (a dataset's sys.exit(3) ends a worker with code 3).
    None for exit code 0, where torch has nothing to add either."""
    code = worker.exitcode
    if code is not None and code < 0:
        return f"DataLoader worker (pid {worker.pid}) is killed by signal: " \
               f"{signal.strsignal(-code)}. "
    if code:
        return (f"DataLoader worker (pid {worker.pid}) exited unexpectedly with exit code "
                f"{code}. Details are lost due to multiprocessing. Rerunning with "
                "num_workers=0 may give better error trace.")
    return None
