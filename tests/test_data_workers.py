"""DataLoader worker processes under faults, against torch's DataLoader as the oracle.

A worker must not outlive its main process, however that process ends and whatever the
worker is blocked on; a worker that dies must be reported at once, in torch's words
(its pid, and its exit code or the signal that killed it).
"""
import gc
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import torch.utils.data as torch_data

import minitorch.utils.data as data

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A main process that starts two workers, prints their pids once the first batch is in,
# then stops reading. Batches of 256 Fashion-MNIST-sized float32 images are 800 KB each,
# far more than a pipe holds: the workers' queue feeder threads block on the full pipe.
# With "stuck", the workers instead block for good inside __getitem__.
MAIN_SCRIPT = """
import multiprocessing, sys, time
import numpy as np
import minitorch.utils.data as data

class Images(data.Dataset):
    def __len__(self):
        return 100_000

    def __getitem__(self, i):
        if sys.argv[1] == "stuck" and i >= 256:
            time.sleep(3600)
        return np.full((1, 28, 28), i, np.float32), i

iterator = iter(data.DataLoader(Images(), batch_size=256, num_workers=2))
next(iterator)
print(*(p.pid for p in multiprocessing.active_children()), flush=True)
time.sleep(3600)
"""


def running(pid):
    """Whether process `pid` still runs. An orphaned worker that exited may stay a zombie
    (its new parent, pid 1 here, need not reap it): that counts as gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            state = next(line for line in status if line.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError, StopIteration):
        return False
    return state.split()[1] != "Z"


@pytest.mark.parametrize("blocked_in", ["full pipe", "stuck"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_exit_when_the_main_process_is_killed(sig, blocked_in):
    main = subprocess.Popen([sys.executable, "-c", MAIN_SCRIPT, blocked_in], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids = []
    try:
        line = main.stdout.readline()
        pids = [int(pid) for pid in line.split()]
        assert len(pids) == 2, f"no worker pids: {line!r} {main.stderr.read()!r}"
        main.send_signal(sig)
        assert main.wait(timeout=10) == -sig
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in pids if running(pid)] == [], \
            f"workers still running 10 s after their main process got {sig.name}"
    finally:
        main.kill()
        main.wait()
        main.stdout.close()
        main.stderr.close()
        for pid in pids:   # a failed run must not leave its workers behind
            if running(pid):
                os.kill(pid, signal.SIGKILL)


class DiesAtOne:
    """Plain ints, a dataset for both engines. Item 1 is worker 1's first: the worker dies
    there with nothing else in flight, so torch's answer does not depend on timing."""

    def __init__(self, death):
        self.death = death

    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 1:
            if self.death == "SIGKILL":
                os.kill(os.getpid(), signal.SIGKILL)
            elif self.death == "os._exit(3)":
                os._exit(3)
            elif self.death == "sys.exit(3)":
                sys.exit(3)
        return i


def without_pids(error):
    """The message of `error` with its pids replaced by N (they differ from run to run)."""
    return re.sub(r"\b(pid|pid\(s\)) \d+", r"\1 N", str(error))


def failure(DataLoader, death):
    """What iterating DiesAtOne(death) with two workers raises (type, message, and type and
    message of its cause, pids masked), and how long until it did."""
    start = time.monotonic()
    try:
        for _ in DataLoader(DiesAtOne(death), num_workers=2):
            pass
    except Exception as error:
        seconds = time.monotonic() - start
        cause = error.__cause__
        return (type(error), without_pids(error),
                cause and (type(cause), without_pids(cause))), seconds
    raise AssertionError("no error")


def check_like_torch(death):
    ours, seconds = failure(data.DataLoader, death)
    assert multiprocessing.active_children() == []   # ours shut down before raising
    theirs, _ = failure(torch_data.DataLoader, death)
    # torch's iterator sits in a reference cycle: the garbage collector shuts it down, and
    # that waits 5 s for torch's surviving worker, unless it has already been ended
    for worker in multiprocessing.active_children():
        worker.kill()
    gc.collect()
    assert multiprocessing.active_children() == []
    assert ours == theirs
    assert ours[1] == "DataLoader worker (pid(s) N) exited unexpectedly"
    assert seconds < 2, f"the dead worker was reported after {seconds:.1f} s"
    return ours


@pytest.mark.parametrize("death", ["SIGKILL", "os._exit(3)"])
def test_dead_worker_is_reported_at_once_in_torchs_words(death):
    _, _, (cause_type, cause) = check_like_torch(death)
    assert cause_type is RuntimeError
    assert cause == {
        "SIGKILL": "DataLoader worker (pid N) is killed by signal: Killed. ",
        "os._exit(3)": "DataLoader worker (pid N) exited unexpectedly with exit code 3. "
                       "Details are lost due to multiprocessing. Rerunning with "
                       "num_workers=0 may give better error trace."}[death]


def test_sys_exit_in_a_worker_reports_its_exit_code():
    error_type, _, (_, cause) = check_like_torch("sys.exit(3)")
    assert error_type is RuntimeError
    assert "exited unexpectedly with exit code 3." in cause


def test_forkserver_workers_serve_batches():
    # A forkserver worker's parent is the fork server, not the main process: the worker
    # must not take that for its main process having died.
    loader = data.DataLoader(list(range(6)), batch_size=2, num_workers=2,
                             multiprocessing_context="forkserver")
    assert [batch.tolist() for batch in loader] == [[0, 1], [2, 3], [4, 5]]
    assert multiprocessing.active_children() == []
