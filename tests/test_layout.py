"""The package's layout, read from its source with `ast`: imports run one way, from the top
floors down, and the math in ops/ stays math.

Every import counts, at module level or inside a function (a late import is a circle all
the same, only hidden). An import of a name from a package counts as an import of that
package's submodule when one of that name exists, else of the package's __init__.
"""
import ast
from pathlib import Path

import minitorch

ROOT = Path(minitorch.__file__).parent


def module_name(path):
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def imports_of(name, path):
    """The minitorch modules `name` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def find_cycle(graph):
    """One import cycle as a list of modules, or None (an iterative depth-first search)."""
    state = {}  # module -> "open" while on the current path, "done" after
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = "open"
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = "done"
                stack.pop()
            elif state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = "open"
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_no_module_imports_one_that_imports_it_back():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_import_reader_sees_late_and_relative_imports():
    assert "minitorch.tensor_base" in GRAPH["minitorch.autograd.function"]
    assert "minitorch.facade.elementwise" in GRAPH["minitorch.tensor"]
    assert "minitorch.autograd" in GRAPH["minitorch.tensor"]


def test_the_math_knows_nothing_of_torchs_surface():
    """ops/ holds forward and backward on numpy arrays: it never sees a tensor class, the
    facade that calls it, or torch's error texts."""
    allowed = {"minitorch.autograd.function", "minitorch.dtypes", "minitorch.kernels",
               "minitorch.kernels.conv", "minitorch.kernels.pooling",
               "minitorch.parallel"}   # (the machine's threads: how an op splits its batch)
    for name, imported in GRAPH.items():
        if name.startswith("minitorch.ops"):
            outside = {m for m in imported if not m.startswith("minitorch.ops")} - allowed
            assert not outside, f"{name} imports {sorted(outside)}"


def test_below_the_tensor_nothing_knows_the_tensor_class():
    """autograd/, ops/ and facade/ work with TensorBase (state only); the Tensor class, with
    its methods, sits above them all."""
    for name, imported in GRAPH.items():
        if name.startswith(("minitorch.autograd", "minitorch.ops", "minitorch.facade")):
            assert "minitorch.tensor" not in imported, name
