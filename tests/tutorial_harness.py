"""Running a PyTorch tutorial twice, cell by cell: once as written on torch, once with only
the imports changed on minitorch, and comparing what each cell prints.

The two engines draw different random numbers. So that most printed numbers can be
compared as numbers (not only as printed forms), three things make the runs agree without
touching the tutorial's code:
- every random tensor minitorch makes through `torch.rand/randn/randint/...` is recorded
  and handed to torch in place of torch's own (test_seed.RandomReplay);
- a model (an `nn.Module` in the tutorial's variables) that a cell has just made gets, in
  torch's run, minitorch's initial weights (copied before the next cell runs);
- Python's `random` and numpy's global generator are seeded the same for both.
What still differs (shuffled batches, a model made and used inside one cell) is compared
by its printed form: the text around the numbers exactly, the numbers masked.

The offline machine gets, around the code and never in it: Fashion-MNIST unpacked where
torchvision looks (Debian's copy, cut to a few hundred images right after loading), the
modules a tutorial imports but never calls when they are not installed (`requests`, whose
download is skipped because the file is there; `pandas`, whose class is defined but not
used; `IPython.core.debugger.set_trace`, in a comment), and torch's answer to "is there a
GPU" made minitorch's.
"""
import builtins
import contextlib
import gzip
import importlib.util
import io
import os
import pickle
import random
import re
import traceback
import types

import matplotlib
import numpy as np
import pytest
import torch
import torchvision

import minitorch
import minitorch.vision
from parity import to_torch, torch_name
from test_seed import RandomReplay
from test_seed_tensorboard import DEBIAN_FASHION_MNIST, unpack_fashion_mnist
from test_serialization_objects import OUR_LOADS, TORCH_DOCS, in_minitorch_words

matplotlib.use("Agg")  # the tutorials' plt.show() draws nowhere

N_TRAIN, N_TEST = 128, 64
RANDOM_FUNCS = ("rand", "rand_like", "randn", "randn_like", "randint", "randint_like")

# The one change the design allows: the imports (most specific first; group 1 of each
# pattern is the line's indentation, added by as_minitorch).
IMPORTS = [
    (r"from torchvision(\.[\w.]+)? import ", r"from minitorch.vision\g<2> import "),
    (r"import torchvision\.([\w.]+) as ", r"import minitorch.vision.\g<2> as "),
    (r"import torchvision$", "import minitorch.vision as torchvision"),
    (r"from torch(\.[\w.]+)? import ", r"from minitorch\g<2> import "),
    (r"import torch\.([\w.]+) as ", r"import minitorch.\g<2> as "),
    (r"import torch$", "import minitorch as torch"),
]


def as_minitorch(code):
    """The tutorial's code with `torch`/`torchvision` imports pointing at minitorch."""
    for pattern, replacement in IMPORTS:
        code = re.sub(rf"^(\s*){pattern}", rf"\g<1>{replacement}", code, flags=re.M)
    return code


def run_cell(code, ns, name):
    """Run one cell in ns; what it printed, and the exception it raised (or None)."""
    buf = io.StringIO()
    error = None
    with contextlib.redirect_stdout(buf):
        try:
            exec(compile(code, name, "exec"), ns)
        except Exception as e:  # noqa: BLE001 - the cell's failure is the result under test
            error = e
    return buf.getvalue(), error


# ---- comparing printed text -------------------------------------------------------------

NUMBER = re.compile(r"(-?(?:\d+\.\d*|\d+)(?:e[+-]?\d+)?|-?inf|nan)")


def printed_form(s):
    """The text with every number (and object address) replaced by N and runs of spaces
    made one: what does not depend on the values."""
    s = re.sub(r"0x[0-9a-f]+", "0x?", s)
    return re.sub(r" +", " ", NUMBER.sub("N", s))


def same_numbers(ours, theirs, rtol):
    """The same text around the numbers, and the numbers within rtol (plus 1e-6 absolute);
    None when they agree, else a line saying where they part."""
    address = re.compile(r"0x[0-9a-f]+")
    a, b = NUMBER.split(address.sub("0x?", ours)), NUMBER.split(address.sub("0x?", theirs))
    if len(a) != len(b):
        return "a different count of numbers"
    for k, (x, y) in enumerate(zip(a, b)):
        if k % 2 == 0:
            if x != y:
                return f"text {x!r} != {y!r}"
        elif x != y:
            fx, fy = float(x), float(y)
            if not abs(fx - fy) <= rtol * max(abs(fx), abs(fy)) + 1e-6:
                return f"number {x} != {y}"
    return None


def describe_error(error):
    return f"{type(error).__name__}: {error}"


def in_minitorch_names(torch_text):
    """torch's names as minitorch's: torchvision's under minitorch.vision, as the imports."""
    return torch_name(torch_text).replace("torchvision.", "minitorch.vision.")


def same_message(ours, theirs):
    """minitorch's error says what torch's says. A weights_only refusal in minitorch's
    words (its own sentence on its default; compared up to where torch points to its
    documentation and minitorch says what it loads instead:
    tests/test_serialization_objects.py checks those words)."""
    ours, theirs = str(ours), str(theirs)
    if TORCH_DOCS in theirs:
        return OUR_LOADS in ours and \
            ours.split(OUR_LOADS)[0] == in_minitorch_words(theirs).replace(
                "torchvision.", "minitorch.vision.")
    return ours == in_minitorch_names(theirs)


def assert_cell_matches(k, code, ours, theirs, mode, rtol):
    """One cell: minitorch must raise what torch raises (type and message) or nothing, and
    print what torch prints: numbers within rtol (mode 'exact') or by form ('form')."""
    (ours_out, ours_err), (theirs_out, theirs_err) = ours, theirs
    theirs_out = in_minitorch_names(theirs_out)
    if ours_err is not None and theirs_err is None:
        tb = "".join(traceback.format_exception(ours_err)[-6:])
        pytest.fail(f"cell {k} raised on minitorch, not on torch: {describe_error(ours_err)}\n"
                    f"--- cell ---\n{code}\n--- traceback (end) ---\n{tb}")
    if theirs_err is not None:
        assert ours_err is not None, \
            f"cell {k}: torch raised {describe_error(theirs_err)}, minitorch nothing\n{code}"
        assert type(ours_err).__name__ == type(theirs_err).__name__ and \
            same_message(ours_err, theirs_err), \
            f"cell {k}:\nminitorch: {describe_error(ours_err)}\ntorch:     {describe_error(theirs_err)}"
    if mode == "exact":
        problem = same_numbers(ours_out, theirs_out, rtol)
    else:
        problem = None if printed_form(ours_out) == printed_form(theirs_out) else "printed form"
    assert problem is None, \
        f"cell {k} ({mode}): {problem}\n--- minitorch ---\n{ours_out}\n--- torch ---\n{theirs_out}"


# ---- the environment ---------------------------------------------------------------------

def read_idx(name):
    with gzip.open(os.path.join(DEBIAN_FASHION_MNIST, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_mnist_pickle(path, n_train=128, n_valid=64):
    """The file "What is torch.nn really?" downloads (MNIST as ((x, y), (x, y), (x, y)),
    x float32 rows of 784 in [0, 1], y int64), made offline from Fashion-MNIST images."""
    images = read_idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    cut = [(images[a:b], labels[a:b]) for a, b in
           [(0, n_train), (n_train, n_train + n_valid), (n_train + n_valid, n_train + 2 * n_valid)]]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.open(path, "wb") as f:
        pickle.dump(tuple(cut), f)


def cut_after_loading(monkeypatch, dataset_class, n_train=N_TRAIN, n_test=N_TEST):
    """The dataset keeps its first n_train (train) or n_test (test) images and labels."""
    load = dataset_class.__init__

    def init(self, *args, **kwargs):
        load(self, *args, **kwargs)
        n = n_train if self.train else n_test
        self.data, self.targets = self.data[:n], self.targets[:n]

    monkeypatch.setattr(dataset_class, "__init__", init)


# Modules the tutorials import but never call: a stand-in is imported where one is missing.
NEVER_CALLED = {"requests": {}, "pandas": {}, "IPython.core.debugger": {"set_trace": None}}


def is_installed(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def builtins_with_stand_ins():
    """Builtins for a tutorial's namespace whose __import__ gives a stand-in module for
    each of NEVER_CALLED that is not installed. Only the tutorial's own import statements
    see them: sys.modules is untouched, so no library finds a fake IPython or pandas."""
    stand_ins = {}
    for name, attributes in NEVER_CALLED.items():
        if not is_installed(name):
            module = types.ModuleType(name)
            module.__dict__.update(attributes)
            stand_ins[name] = module

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in stand_ins:
            return stand_ins[name] if fromlist or "." not in name else types.ModuleType(name)
        return builtins.__import__(name, globals, locals, fromlist, level)

    return {**builtins.__dict__, "__import__": import_}


@pytest.fixture
def tutorial_env(tmp_path, monkeypatch):
    """Two working directories (minitorch/, torch/) sharing one data/ folder with the
    unpacked Fashion-MNIST and the nn tutorial's mnist.pkl.gz; datasets cut after loading;
     torch sees no GPU where minitorch sees none."""
    data = tmp_path / "data"
    unpack_fashion_mnist(str(data))
    write_mnist_pickle(str(data / "mnist" / "mnist.pkl.gz"))
    for engine in ("minitorch", "torch"):
        (tmp_path / engine).mkdir()
        (tmp_path / engine / "data").symlink_to(data)
    cut_after_loading(monkeypatch, torchvision.datasets.FashionMNIST)
    cut_after_loading(monkeypatch, minitorch.vision.datasets.FashionMNIST)
    if not minitorch.cuda.is_available():
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        monkeypatch.setattr(torch.accelerator, "is_available", lambda: False)
    return tmp_path


# ---- running side by side ---------------------------------------------------------------

def copy_new_models(ns_ours, ns_theirs, seen):
    """Each torch model a cell has just made starts from minitorch's weights."""
    for name, theirs in list(ns_theirs.items()):
        if isinstance(theirs, torch.nn.Module) and id(theirs) not in seen:
            seen[id(theirs)] = theirs           # kept alive, so that the id stays its own
            ours = ns_ours.get(name)
            if isinstance(ours, minitorch.nn.Module):
                theirs.load_state_dict(to_torch(ours.state_dict()))


def run_side_by_side(cells, workdir, monkeypatch, seed=0):
    """Run the cells alternately on minitorch (imports changed) and torch (as written), in
    their own working directories; per cell ((out, error) ours, (out, error) theirs)."""
    replay = RandomReplay(monkeypatch)
    recording = {n: replay._record(getattr(minitorch, n)) for n in RANDOM_FUNCS if hasattr(minitorch, n)}
    replaying = {n: replay._replay(getattr(torch, n)) for n in RANDOM_FUNCS}
    minitorch.manual_seed(seed)
    torch.manual_seed(seed)
    states = {}
    for engine in ("minitorch", "torch"):
        random.seed(seed)
        np.random.seed(seed)
        states[engine] = (random.getstate(), np.random.get_state())
    ns_ours = {"__builtins__": builtins_with_stand_ins()}
    ns_theirs = {"__builtins__": builtins_with_stand_ins()}
    seen, results = {}, []
    try:
        for k, code in enumerate(cells):
            outs = {}
            for engine, lib, ns, patches, text in (
                    ("minitorch", minitorch, ns_ours, recording, as_minitorch(code)),
                    ("torch", torch, ns_theirs, replaying, code)):
                random.setstate(states[engine][0])
                np.random.set_state(states[engine][1])
                with monkeypatch.context() as m:
                    m.chdir(workdir / engine)
                    for name, fn in patches.items():
                        m.setattr(lib, name, fn)
                    outs[engine] = run_cell(text, ns, f"<{engine} cell {k}>")
                states[engine] = (random.getstate(), np.random.get_state())
            copy_new_models(ns_ours, ns_theirs, seen)
            results.append((outs["minitorch"], outs["torch"]))
    finally:
        import matplotlib.pyplot as plt
        plt.close("all")
        minitorch.set_default_device(None)   # the autograd example sets it
        torch.set_default_device(None)
    return ns_ours, ns_theirs, results


def check_tutorial(cells, workdir, monkeypatch, modes=None, rtol=1e-4):
    """Every cell as torch: modes maps a cell index to 'form' where the engines' values
    differ by design (default 'exact': numbers within rtol)."""
    modes = modes or {}
    ns_ours, ns_theirs, results = run_side_by_side(cells, workdir, monkeypatch)
    for k, (ours, theirs) in enumerate(results):
        assert_cell_matches(k, cells[k], ours, theirs, modes.get(k, "exact"), rtol)
    return ns_ours, ns_theirs, results
