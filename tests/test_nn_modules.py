"""nn Modules against torch.nn: the same architecture built in both engines.

Every test builds one network with `build(lib)` for lib = minitorch and lib = torch and
compares what torch users see: printed forms, state_dict keys/shapes/dtypes, outputs and
gradients after copying torch's weights in, load_state_dict's errors and results, the
Module API (walks, modes, dtype casts, registration errors) and nn.init's distributions.
"""
import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from parity import assert_close, same_error, to_minitorch, torch_name

LIBS = (minitorch, torch)


# ---- the networks ----------------------------------------------------------------------

def lenet(lib):
    """Seed tutorial 3: 1x32x32 input, functional pooling, torch.flatten."""
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            s2 = F.max_pool2d(F.relu(self.conv1(input)), (2, 2))
            s4 = F.max_pool2d(F.relu(self.conv2(s2)), 2)
            f5 = F.relu(self.fc1(lib.flatten(s4, 1)))
            return self.fc3(F.relu(self.fc2(f5)))

    return Net()


def cifar_net(lib, channels=3, side=5):
    """Seed tutorial 4 (3x32x32, one shared self.pool) and, with channels=1 and side=4,
    the TensorBoard section's 1x28x28 net (which flattens with view)."""
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * side * side, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * side * side)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    return Net()


def fashion_net(lib):
    return cifar_net(lib, channels=1, side=4)


def every_layer(lib):
    """A Sequential of every layer type with non-default options (3x12x12 input)."""
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=2, dilation=2, bias=False),   # 8x5x5
        nn.ReLU(inplace=True),
        nn.Conv2d(8, 8, (3, 1), padding=(1, 0), groups=4),                # 8x5x5
        nn.MaxPool2d(2, ceil_mode=True),                                  # 8x3x3
        nn.Tanh(),
        nn.Conv2d(8, 4, 3, padding="same"),                               # 4x3x3
        nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),    # 4x3x3
        nn.Sigmoid(),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Sequential(nn.Linear(36, 10), nn.ReLU()),
        nn.Linear(10, 5, bias=False),
        nn.LogSoftmax(dim=1),
    )


NETS = {"lenet": (lenet, (1, 32, 32)), "cifar": (cifar_net, (3, 32, 32)),
        "fashion": (fashion_net, (1, 28, 28)), "every_layer": (every_layer, (3, 12, 12))}


def twin(build):
    """The same network in both engines, minitorch's holding torch's weights."""
    ours, theirs = build(minitorch), build(torch)
    ours.load_state_dict(to_minitorch(theirs.state_dict()))
    return ours, theirs


def same_repr(ours, theirs):
    assert repr(ours) == torch_name(repr(theirs)), f"\n{ours!r}\n---\n{theirs!r}"
    assert str(ours) == torch_name(str(theirs))


# ---- printed forms ---------------------------------------------------------------------

@pytest.mark.parametrize("name", NETS)
def test_net_repr(name):
    build, _ = NETS[name]
    same_repr(build(minitorch), build(torch))


def test_seed_lenet_prints_as_the_seed_shows():
    assert repr(lenet(minitorch)).splitlines()[1] == \
        "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"


LAYERS = [
    lambda nn: nn.Conv2d(3, 8, 3),
    lambda nn: nn.Conv2d(4, 8, (3, 2), stride=(2, 1), padding=1, dilation=(1, 2), groups=2,
                         bias=False),
    lambda nn: nn.Conv2d(1, 2, 3, padding="same"),
    lambda nn: nn.Conv2d(1, 2, 3, padding="valid"),
    lambda nn: nn.MaxPool2d(2),
    lambda nn: nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
    lambda nn: nn.MaxPool2d(3, return_indices=True),
    lambda nn: nn.AvgPool2d(2),
    lambda nn: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False,
                            divisor_override=4),
    lambda nn: nn.Dropout(),
    lambda nn: nn.Dropout(0.1, inplace=True),
    lambda nn: nn.ReLU(),
    lambda nn: nn.ReLU(inplace=True),
    lambda nn: nn.Tanh(),
    lambda nn: nn.Sigmoid(),
    lambda nn: nn.Softmax(),
    lambda nn: nn.Softmax(dim=1),
    lambda nn: nn.LogSoftmax(-1),
    lambda nn: nn.Flatten(),
    lambda nn: nn.Flatten(0, 2),
    lambda nn: nn.Identity(),
    lambda nn: nn.Linear(4, 5),
    lambda nn: nn.Linear(4, 5, bias=False),
    lambda nn: nn.MSELoss(),
    lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1),
    lambda nn: nn.NLLLoss(reduction="sum"),
    lambda nn: nn.Sequential(),
    lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Sequential())),
    lambda nn: nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 1, 1)), ("act", nn.ReLU())])),
    lambda nn: nn.ModuleList(),
    lambda nn: nn.ModuleList([nn.ReLU(), nn.Linear(1, 1)]),
    lambda nn: nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU()]),
    lambda nn: nn.ModuleList([nn.Sequential(nn.ReLU(), nn.ReLU()) for _ in range(2)]),
    lambda nn: nn.ModuleDict(),
    lambda nn: nn.ModuleDict({"a": nn.ReLU(), "b": nn.ModuleList([nn.Tanh()])}),
]


@pytest.mark.parametrize("i", range(len(LAYERS)))
def test_layer_repr(i):
    same_repr(LAYERS[i](minitorch.nn), LAYERS[i](torch.nn))


def test_repr_of_a_module_with_a_multiline_extra_repr_and_children():
    def build(lib):
        class Block(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.body = lib.nn.Linear(2, 2)

            def extra_repr(self):
                return "first line\nsecond line"
        return lib.nn.Sequential(Block(), lib.nn.ModuleList([Block(), Block()]))
    same_repr(build(minitorch), build(torch))


@pytest.mark.parametrize("requires_grad", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_parameter_prints_as_torch(requires_grad, dtype):
    values = np.arange(6, dtype=dtype).reshape(2, 3) / 4
    ours = minitorch.nn.Parameter(minitorch.from_numpy(values.copy()), requires_grad)
    theirs = torch.nn.Parameter(torch.from_numpy(values.copy()), requires_grad)
    assert repr(ours) == torch_name(repr(theirs))
    assert str(ours) == torch_name(str(theirs))


# ---- state_dict and the same numbers -----------------------------------------------------

@pytest.mark.parametrize("name", NETS)
def test_state_dict_keys_shapes_dtypes(name):
    build, _ = NETS[name]
    ours, theirs = build(minitorch).state_dict(), build(torch).state_dict()
    assert isinstance(ours, OrderedDict)
    assert list(ours) == list(theirs)
    for key in theirs:
        assert tuple(ours[key].shape) == tuple(theirs[key].shape), key
        assert str(ours[key].dtype) == torch_name(str(theirs[key].dtype)), key
        assert not ours[key].requires_grad and ours[key].grad_fn is None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", NETS)
def test_forward_and_every_gradient_match_torch_with_torchs_weights(name, dtype):
    build, shape = NETS[name]
    ours, theirs = twin(build)
    ours.eval(), theirs.eval()          # Dropout off: the same deterministic function
    ours.to(getattr(minitorch, dtype)), theirs.to(getattr(torch, dtype))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3,) + shape).astype(dtype)
    out_o, out_t = ours(minitorch.from_numpy(x.copy())), theirs(torch.from_numpy(x.copy()))
    rtol = 1e-4 if dtype == "float32" else 1e-9
    assert_close(out_o, out_t, rtol, what="output")
    labels = rng.integers(0, out_t.shape[1], 3)
    loss_o = minitorch.nn.CrossEntropyLoss()(out_o, minitorch.from_numpy(labels.copy()))
    loss_t = torch.nn.CrossEntropyLoss()(out_t, torch.from_numpy(labels.copy()))
    assert_close(loss_o, loss_t, rtol, what="loss")
    loss_o.backward(), loss_t.backward()
    grads_o = {k: p.grad for k, p in ours.named_parameters()}
    grads_t = {k: p.grad for k, p in theirs.named_parameters()}
    assert list(grads_o) == list(grads_t)
    for key in grads_t:
        assert_close(grads_o[key], grads_t[key], rtol, what=f"grad of {key}")


def test_state_dict_shares_memory_and_keep_vars_returns_the_parameters():
    net = lenet(minitorch)
    sd = net.state_dict()
    sd["fc3.bias"].fill_(7.0)
    assert np.all(net.fc3.bias.detach().numpy() == 7.0)
    assert net.state_dict(keep_vars=True)["fc3.bias"] is net.fc3.bias
    assert list(net.state_dict(prefix="net.")) == list(lenet(torch).state_dict(prefix="net."))


def with_buffers(lib):
    """A module with a persistent buffer, a non-persistent one and a None buffer."""
    class Norm(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(2, 3)
            self.register_buffer("running_mean", lib.zeros(3))
            self.register_buffer("scratch", lib.ones(3), persistent=False)
            self.register_buffer("absent", None)
            self.register_buffer("steps", lib.tensor(0))
    return lib.nn.Sequential(Norm(), lib.nn.ReLU())


def test_buffers_persistent_and_not_as_torch():
    ours, theirs = with_buffers(minitorch), with_buffers(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert str(ours.state_dict()["0.steps"].dtype) == "minitorch.int64"
    ours.to(minitorch.float64), theirs.to(torch.float64)
    for (name, b_o), (_, b_t) in zip(ours.named_buffers(), theirs.named_buffers()):
        assert str(b_o.dtype) == torch_name(str(b_t.dtype)), name
    sd = {k: to_minitorch(v) + 1 for k, v in theirs.state_dict().items()}
    assert repr(ours.load_state_dict(sd)) == "<All keys matched successfully>"
    assert np.all(ours[0].running_mean.numpy() == 1.0)
    assert np.all(ours[0].scratch.numpy() == 1.0)     # not persistent: not loaded


# ---- load_state_dict --------------------------------------------------------------------

def state_of(lib, net):
    """net's state_dict as lib's tensors (a torch net's for minitorch, and vice versa)."""
    return {k: lib.from_numpy(v.detach().numpy().copy()) for k, v in net.state_dict().items()}


def load_case(edit, strict=True, build=cifar_net):
    def fn(lib):
        sd = state_of(lib, build(lib))
        edit(lib, sd)
        return build(lib).load_state_dict(sd, strict=strict)
    return fn


def drop(*keys):
    def edit(lib, sd):
        for k in keys:
            del sd[k]
    return edit


def add(*keys):
    def edit(lib, sd):
        for k in keys:
            sd[k] = lib.zeros(2)
    return edit


def resize(*keys):
    def edit(lib, sd):
        for k in keys:
            sd[k] = lib.zeros(*sd[k].shape[:-1], sd[k].shape[-1] + 1)
    return edit


def combine(*edits):
    def edit(lib, sd):
        for e in edits:
            e(lib, sd)
    return edit


LOAD_EDITS = {
    "missing": drop("fc2.bias", "conv1.weight"),
    "unexpected": add("fc9.weight", "extra", "fc1.extra", "pool.x"),
    "unexpected below a parameter": add("fc1.weight.x"),
    "size mismatch": resize("fc1.weight", "conv2.bias"),
    "all at once": combine(drop("fc3.weight"), add("zzz", "conv1.extra"),
                           resize("fc2.weight")),
    "not a tensor": lambda lib, sd: sd.update({"fc1.bias": [1.0, 2.0]}),
}


@pytest.mark.parametrize("case", LOAD_EDITS)
def test_load_state_dict_strict_errors_and_lists_as_torch(case):
    edit = LOAD_EDITS[case]
    if raised_by_torch(load_case(edit)):
        same_error(load_case(edit))
    else:
        assert tuple(load_case(edit)(minitorch)) == tuple(load_case(edit)(torch))
    if case in ("size mismatch", "not a tensor", "all at once"):
        same_error(load_case(edit, strict=False))
    else:
        ours, theirs = load_case(edit, strict=False)(minitorch), \
            load_case(edit, strict=False)(torch)
        assert ours.missing_keys == theirs.missing_keys
        assert ours.unexpected_keys == theirs.unexpected_keys
        assert repr(ours) == repr(theirs)


def raised_by_torch(fn):
    try:
        fn(torch)
    except RuntimeError:
        return True
    return False


def test_load_state_dict_reports_incompatible_keys_as_torch():
    ours, theirs = (lenet(lib).load_state_dict(state_of(lib, lenet(lib))) for lib in LIBS)
    assert repr(ours) == repr(theirs) == "<All keys matched successfully>"
    assert ours == theirs == ([], [])
    assert ours.missing_keys == [] and ours.unexpected_keys == []


def test_load_state_dict_copies_in_place_and_assign_swaps_the_tensor():
    net = cifar_net(minitorch)
    weight = net.fc1.weight
    sd = state_of(minitorch, cifar_net(torch))
    net.load_state_dict(sd)
    assert net.fc1.weight is weight                       # copied into the same Parameter
    assert not np.shares_memory(weight.detach().numpy(), sd["fc1.weight"].numpy())
    np.testing.assert_array_equal(weight.detach().numpy(), sd["fc1.weight"].numpy())

    net.fc2.bias.requires_grad_(False)
    net.load_state_dict(sd, assign=True)
    assert isinstance(net.fc1.weight, minitorch.nn.Parameter)
    assert np.shares_memory(net.fc1.weight.detach().numpy(), sd["fc1.weight"].numpy())
    assert net.fc1.weight.requires_grad and not net.fc2.bias.requires_grad
    tnet = cifar_net(torch)
    tnet.fc2.bias.requires_grad_(False)
    tsd = state_of(torch, cifar_net(torch))
    tnet.load_state_dict(tsd, assign=True)
    assert tnet.fc1.weight.data_ptr() == tsd["fc1.weight"].data_ptr()
    assert tnet.fc1.weight.requires_grad and not tnet.fc2.bias.requires_grad


def test_load_state_dict_rejects_a_non_mapping():
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lenet(minitorch).load_state_dict([("fc1.weight", minitorch.zeros(1))])


def shared(lib):
    """One Linear under two names, and a parameter shared by two modules."""
    nn = lib.nn
    lin = nn.Linear(3, 3)
    net = nn.Sequential(lin, nn.ReLU(), lin, nn.Sequential(nn.Linear(3, 2), lin))
    net[3][0].weight = nn.Parameter(lib.zeros(2, 3))
    net.add_module("tied", nn.Linear(3, 2))
    net.tied.weight = net[3][0].weight
    return net


def test_shared_modules_and_parameters_walk_and_save_as_torch():
    ours, theirs = shared(minitorch), shared(torch)
    walks = [
        lambda m: [n for n, _ in m.named_parameters()],
        lambda m: [n for n, _ in m.named_parameters(remove_duplicate=False)],
        lambda m: [n for n, _ in m.named_modules()],
        lambda m: [n for n, _ in m.named_modules(remove_duplicate=False)],
        lambda m: [n for n, _ in m.named_children()],
        lambda m: len(list(m.parameters())),
        lambda m: len(list(m.modules())),
        lambda m: list(m.state_dict()),
    ]
    for walk in walks:
        assert walk(ours) == walk(theirs)
    sd = to_minitorch(theirs.state_dict())
    assert tuple(ours.load_state_dict(sd)) == ([], [])


# ---- the Module API -----------------------------------------------------------------------

def walks(m):
    return {
        "parameters": [tuple(p.shape) for p in m.parameters()],
        "named_parameters": [n for n, _ in m.named_parameters()],
        "named_parameters(prefix, recurse=False)":
            [n for n, _ in m.named_parameters(prefix="top", recurse=False)],
        "buffers": [n for n, _ in m.named_buffers()],
        "children": [type(c).__name__ for c in m.children()],
        "named_children": [n for n, _ in m.named_children()],
        "modules": [type(c).__name__ for c in m.modules()],
        "named_modules": [n for n, _ in m.named_modules()],
        "named_modules(prefix)": [n for n, _ in m.named_modules(prefix="net")],
    }


@pytest.mark.parametrize("build", [lenet, cifar_net, every_layer, with_buffers])
def test_walks_names_and_order(build):
    assert walks(build(minitorch)) == walks(build(torch))


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    for lib in LIBS:
        net = lenet(lib)
        net(lib.ones(2, 1, 32, 32)).sum().backward()
        grad = net.fc1.weight.grad
        net.zero_grad(set_to_none=set_to_none)
        if set_to_none:
            assert all(p.grad is None for p in net.parameters())
        else:
            assert net.fc1.weight.grad is grad, lib.__name__   # zeroed in place
            assert all(not p.grad.numpy().any() and not p.grad.requires_grad
                       for p in net.parameters())


def test_zero_grad_defaults_to_set_to_none():
    net = lenet(minitorch)
    net(minitorch.ones(1, 1, 32, 32)).sum().backward()
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_train_eval_propagate_and_dropout_follows():
    for lib in LIBS:
        net = lib.nn.Sequential(lib.nn.Sequential(lib.nn.Dropout(0.5)), lib.nn.Linear(2, 2))
        assert all(m.training for m in net.modules())
        assert net.eval() is net and not any(m.training for m in net.modules())
        x = lib.ones(1000)
        assert lib.equal(net[0](x), x)                        # eval: the identity
        net.train()
        assert all(m.training for m in net.modules())
        y = net[0](x).numpy()
        assert set(np.unique(y)) == {0.0, 2.0}               # train: dropped or scaled by 2
        assert 400 < np.count_nonzero(y) < 600
        net.train(False)
        assert not net[0][0].training
    same_error(lambda lib: lib.nn.Linear(1, 1).train("yes"))


def test_requires_grad_and_apply():
    for lib in LIBS:
        net = lenet(lib)
        assert net.requires_grad_(False) is net
        assert not any(p.requires_grad for p in net.parameters())
        net.requires_grad_()
        assert all(p.requires_grad for p in net.parameters())
    seen = {lib: [] for lib in LIBS}
    for lib in LIBS:
        net = every_layer(lib)
        assert net.apply(lambda m: seen[lib].append(type(m).__name__)) is net
    assert seen[minitorch] == seen[torch]

    def init_weights(m):
        if isinstance(m, minitorch.nn.Linear):
            minitorch.nn.init.ones_(m.weight)
    net = lenet(minitorch).apply(init_weights)
    assert np.all(net.fc2.weight.detach().numpy() == 1.0)
    assert not np.all(net.conv1.weight.detach().numpy() == 1.0)


def test_to_float64_keeps_parameter_identity_and_an_optimizer_still_steps():
    net = lenet(minitorch)
    params = list(net.parameters())
    optimizer = minitorch.optim.SGD(net.parameters(), lr=0.1)
    net(minitorch.ones(1, 1, 32, 32)).sum().backward()
    assert net.to(minitorch.float64) is net
    assert [id(p) for p in net.parameters()] == [id(p) for p in params]
    assert all(str(p.dtype) == "minitorch.float64" and str(p.grad.dtype) == "minitorch.float64"
               for p in params)
    before = net.fc3.bias.detach().numpy().copy()
    optimizer.step()
    after = net.fc3.bias.detach().numpy()
    np.testing.assert_allclose(after, before - 0.1 * net.fc3.bias.grad.numpy())
    out = net(minitorch.ones(1, 1, 32, 32, dtype=minitorch.float64))
    assert str(out.dtype) == "minitorch.float64"
    assert str(net.float().fc1.weight.dtype) == "minitorch.float32"
    assert net.to(minitorch.ones(1, dtype=minitorch.float64)).fc1.weight.dtype == \
        minitorch.float64
    assert net.to("cpu") is net and net.to(dtype=minitorch.float32).fc1.bias.dtype == \
        minitorch.float32
    same_error(lambda lib: lib.nn.Linear(1, 1).to(lib.int64))


def registration_errors():
    def module(lib):
        m = lib.nn.Linear(2, 2)
        m.plain = 3
        return m
    return [
        lambda lib: module(lib).register_buffer("a.b", lib.zeros(1)),
        lambda lib: module(lib).register_buffer("", lib.zeros(1)),
        lambda lib: module(lib).register_buffer(3, lib.zeros(1)),
        lambda lib: module(lib).register_buffer("weight", lib.zeros(1)),
        lambda lib: module(lib).register_buffer("plain", lib.zeros(1)),
        lambda lib: module(lib).register_buffer("b", [1.0]),
        lambda lib: module(lib).register_parameter("a.b", None),
        lambda lib: module(lib).register_parameter("", None),
        lambda lib: module(lib).register_parameter(1.5, None),
        lambda lib: module(lib).register_parameter("plain", None),
        lambda lib: module(lib).register_parameter("w", lib.zeros(2)),
        lambda lib: module(lib).register_parameter("w", lib.nn.Parameter(lib.ones(2)) * 2),
        lambda lib: module(lib).add_module("a.b", lib.nn.ReLU()),
        lambda lib: module(lib).add_module("", lib.nn.ReLU()),
        lambda lib: module(lib).add_module(7, lib.nn.ReLU()),
        lambda lib: module(lib).add_module("weight", lib.nn.ReLU()),
        lambda lib: module(lib).add_module("act", lib.zeros(1)),
        lambda lib: module(lib).add_module("act", "relu"),
        lambda lib: setattr(module(lib), "weight", lib.zeros(2, 2)),
        lambda lib: setattr(module(lib), "weight", 3.0),
        lambda lib: setattr(lib.nn.Sequential(lib.nn.ReLU()), "0", lib.zeros(1)),
        lambda lib: module(lib).missing,
        lambda lib: lib.nn.Sequential().missing,
        lambda lib: delattr(module(lib), "missing"),
        lambda lib: lib.nn.Module()(lib.zeros(1)),
    ]


@pytest.mark.parametrize("i", range(len(registration_errors())))
def test_registration_and_attribute_errors(i):
    same_error(registration_errors()[i])


def test_buffer_assignment_errors():
    def fn(lib):
        m = with_buffers(lib)[0]
        m.running_mean = "zero"
    same_error(fn)

    def before_init(lib):
        class Early(lib.nn.Module):
            def __init__(self):
                self.w = lib.nn.Parameter(lib.ones(1))
        Early()
    same_error(before_init)


def test_buffer_objects_register_when_assigned():
    for lib in LIBS:
        Buffer = lib.nn.parameter.Buffer
        m = lib.nn.Linear(2, 2)
        m.kept = Buffer(lib.ones(2))
        m.scratch = Buffer(lib.zeros(3), persistent=False)
        assert [n for n, _ in m.named_buffers()] == ["kept", "scratch"]
        assert list(m.state_dict()) == ["weight", "bias", "kept"]
        m.scratch = lib.ones(3)                       # stays non-persistent
        assert list(m.state_dict()) == ["weight", "bias", "kept"]
        assert Buffer().shape == (0,) and not Buffer(lib.ones(1)).requires_grad
        assert repr(Buffer(lib.ones(2))) == "tensor([1., 1.])"

    def fn(lib):
        m = lib.nn.Linear(1, 1)
        m.weight = lib.nn.parameter.Buffer(lib.ones(1))
    same_error(fn)


def test_attribute_assignment_registers_and_replaces():
    for lib in LIBS:
        m = lib.nn.Linear(2, 2)
        m.bias = None                                 # a parameter may become None
        assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight"]
        m.extra = lib.nn.Parameter(lib.ones(1))       # a new Parameter registers
        m.act = lib.nn.ReLU()
        m.register_buffer("stat", lib.zeros(1))
        m.stat = lib.ones(1)                          # a buffer takes a plain tensor
        assert list(m.state_dict()) == ["weight", "extra", "stat"]
        assert list(dict(m.named_children())) == ["act"]
        m.stat = lib.nn.Parameter(lib.ones(1))        # a Parameter replaces the buffer
        assert [n for n, _ in m.named_buffers()] == []
        del m.act, m.extra
        assert list(m.state_dict()) == ["weight", "stat"] and not list(m.children())
        assert not hasattr(m, "act")
        assert "weight" in dir(m)


def test_getattr_message_names_the_class():
    class Net(minitorch.nn.Module):
        pass
    with pytest.raises(AttributeError, match="^'Net' object has no attribute 'fc9'$"):
        Net().fc9


# ---- containers ---------------------------------------------------------------------------

def test_sequential_indexing_slicing_len_iter_append():
    for lib in LIBS:
        nn = lib.nn
        seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        assert len(seq) == 3
        assert isinstance(seq[0], nn.Linear) and seq[-1] is seq[2]
        head = seq[:2]
        assert type(head) is nn.Sequential and len(head) == 2 and head[0] is seq[0]
        assert list(dict(seq[1:].named_children())) == ["1", "2"]
        assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"]
        assert seq.append(nn.Sigmoid()) is seq and len(seq) == 4
        assert [n for n, _ in seq.named_children()] == ["0", "1", "2", "3"]
        named = nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh())]))
        assert named[1] is named.b and named[-2] is named.a
    same_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU())[1])
    same_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU())[-2])
    same_error(lambda lib: lib.nn.ModuleList([lib.nn.ReLU()])[3])


def layout_of(container):
    return [(name, type(m).__name__) for name, m in container.named_children()]


EDITS = {
    "setitem": lambda nn, c: c.__setitem__(-1, nn.Tanh()),
    "delitem": lambda nn, c: c.__delitem__(1),
    "delitem negative": lambda nn, c: c.__delitem__(-3),
    "delitem slice": lambda nn, c: c.__delitem__(slice(0, 3, 2)),
    "insert": lambda nn, c: c.insert(1, nn.Tanh()),
    "insert at the end": lambda nn, c: c.insert(len(c), nn.Tanh()),
    "insert negative": lambda nn, c: c.insert(-1, nn.Tanh()),
    "extend": lambda nn, c: c.extend([nn.Tanh(), nn.Sigmoid()]),
    "pop": lambda nn, c: c.pop(0),
    "pop slice": lambda nn, c: c.pop(slice(1, None)),
}


# torch's ModuleList.insert does not take negative indices (a KeyError); Sequential's does.
@pytest.mark.parametrize("edit, kind", [
    (e, k) for e in EDITS for k in ("Sequential", "ModuleList")
    if (e, k) != ("insert negative", "ModuleList")])
def test_sequence_edits_as_torch(edit, kind):
    def run(lib):
        nn = lib.nn
        layers = [nn.Linear(2, 2), nn.ReLU(), nn.Identity(), nn.Linear(2, 2)]
        container = nn.Sequential(*layers) if kind == "Sequential" else nn.ModuleList(layers)
        result = EDITS[edit](nn, container)
        returned = "self" if result is container else type(result).__name__
        return layout_of(container), returned, [n for n, _ in container.named_parameters()]
    assert run(minitorch) == run(torch)


def test_sequence_edit_errors():
    same_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU()).insert(3, lib.nn.ReLU()))
    same_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU()).insert(0, "relu"))
    same_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU()).__delitem__(2))
    same_error(lambda lib: lib.nn.ModuleList([lib.nn.ReLU()]).__setitem__(1, lib.nn.ReLU()))


def test_module_list_and_dict():
    for lib in LIBS:
        nn = lib.nn
        layers = nn.ModuleList([nn.Linear(2, 2)])
        layers.append(nn.ReLU()).extend([nn.Tanh(), nn.Sigmoid()])
        layers[1] = nn.Identity()
        assert [type(m).__name__ for m in layers] == ["Linear", "Identity", "Tanh", "Sigmoid"]
        assert [type(m).__name__ for m in layers[1:3]] == ["Identity", "Tanh"]
        assert layers[-1] is layers[3] and len(layers) == 4
        assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias"]
        d = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Linear(1, 1)})
        d["c"] = nn.Tanh()
        assert list(d) == list(d.keys()) == ["b", "a", "c"] and "a" in d and len(d) == 3
        assert d["a"] is d.a and [n for n, _ in d.named_parameters()] == ["a.weight", "a.bias"]
        assert type(d.pop("b")).__name__ == "ReLU"
        del d["c"]
        assert list(d) == ["a"]


# ---- nn.init --------------------------------------------------------------------------------

BIG = (400, 250)


def fresh(lib, shape=BIG, dtype="float32"):
    return lib.empty(*shape, dtype=getattr(lib, dtype))


INITS = {
    "uniform_": lambda init, t: init.uniform_(t, -0.5, 2.0),
    "normal_": lambda init, t: init.normal_(t, 1.0, 0.3),
    "zeros_": lambda init, t: init.zeros_(t),
    "ones_": lambda init, t: init.ones_(t),
    "constant_": lambda init, t: init.constant_(t, -2.5),
    "kaiming_uniform_": lambda init, t: init.kaiming_uniform_(t, a=math.sqrt(5)),
    "kaiming_uniform_ relu fan_out": lambda init, t: init.kaiming_uniform_(
        t, mode="fan_out", nonlinearity="relu"),
    "kaiming_normal_": lambda init, t: init.kaiming_normal_(t),
    "kaiming_normal_ tanh fan_out": lambda init, t: init.kaiming_normal_(
        t, mode="Fan_Out", nonlinearity="tanh"),
    "xavier_uniform_": lambda init, t: init.xavier_uniform_(t),
    "xavier_uniform_ gain": lambda init, t: init.xavier_uniform_(t, gain=3.0),
    "xavier_normal_": lambda init, t: init.xavier_normal_(t, gain=0.5),
}


@pytest.mark.parametrize("shape", [BIG, (64, 16, 5, 5)])
@pytest.mark.parametrize("name", INITS)
def test_init_distribution_matches_torch(name, shape):
    minitorch.manual_seed(0), torch.manual_seed(0)
    ours = fresh(minitorch, shape)
    assert INITS[name](minitorch.nn.init, ours) is ours
    theirs = INITS[name](torch.nn.init, fresh(torch, shape))
    o, t = ours.numpy(), theirs.numpy()
    assert o.dtype == np.float32 and not ours.requires_grad
    assert abs(o.mean() - t.mean()) <= 0.05 * t.std() + 1e-6
    assert abs(o.std() - t.std()) <= 0.04 * t.std() + 1e-6
    if "normal" in name:      # the same bell: as many values beyond 2 of torch's stds
        beyond = [np.mean(np.abs(a - t.mean()) > 2 * t.std()) for a in (o, t)]
        assert abs(beyond[0] - beyond[1]) < 0.01
    else:                     # bounded: torch's range, to within 1% of its width
        slack = 0.01 * (t.max() - t.min()) + 1e-6
        assert abs(o.min() - t.min()) <= slack and abs(o.max() - t.max()) <= slack


@pytest.mark.parametrize("name", ["kaiming_uniform_", "xavier_uniform_", "uniform_"])
def test_uniform_inits_stay_inside_torchs_bound(name):
    shape = (300, 40)
    bound = INITS[name](torch.nn.init, fresh(torch, shape)).abs().max().item()
    # the bound torch's formula gives, to check that the sample above reaches it
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(fresh(torch, shape))
    formula = {"kaiming_uniform_": math.sqrt(3.0) * torch.nn.init.calculate_gain(
        "leaky_relu", math.sqrt(5)) / math.sqrt(fan_in),
        "xavier_uniform_": math.sqrt(6.0 / (fan_in + fan_out)), "uniform_": 2.0}[name]
    assert bound <= formula and bound > 0.99 * formula
    ours = INITS[name](minitorch.nn.init, fresh(minitorch, shape)).numpy()
    assert np.abs(ours).max() <= formula and np.abs(ours).max() > 0.99 * formula


def test_init_keeps_the_graph_out_and_works_on_a_parameter_in_float64():
    for lib in LIBS:
        p = lib.nn.Parameter(lib.empty(30, 20, dtype=lib.float64))
        lib.nn.init.kaiming_normal_(p)
        assert p.requires_grad and p.grad_fn is None and p.dtype == lib.float64
        (p * 2).sum().backward()
        assert p.grad is not None


@given(st.sampled_from(["linear", "conv1d", "conv2d", "conv3d", "conv_transpose2d",
                        "sigmoid", "tanh", "relu", "leaky_relu", "selu"]),
       st.one_of(st.none(), st.floats(0, 10), st.integers(0, 5)))
def test_calculate_gain(nonlinearity, param):
    ours = minitorch.nn.init.calculate_gain(nonlinearity, param)
    theirs = torch.nn.init.calculate_gain(nonlinearity, param)
    assert ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize("shape", [(3, 4), (5, 2, 3), (6, 4, 3, 2), (2, 3, 1, 1, 4), (0, 3)])
def test_calculate_fan_in_and_fan_out(shape):
    ours = minitorch.nn.init._calculate_fan_in_and_fan_out(minitorch.empty(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


INIT_ERRORS = [
    lambda lib: lib.nn.init._calculate_fan_in_and_fan_out(lib.empty(3)),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3)),
    lambda lib: lib.nn.init.kaiming_normal_(lib.empty(())),
    lambda lib: lib.nn.init.xavier_uniform_(lib.empty(4)),
    lambda lib: lib.nn.init.xavier_normal_(lib.empty(4)),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3, 3), mode="fan_avg"),
    lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3, 3), mode="in"),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3, 3), nonlinearity="gelu"),
    lambda lib: lib.nn.init.calculate_gain("swish"),
    lambda lib: lib.nn.init.calculate_gain("leaky_relu", "0.1"),
    lambda lib: lib.nn.init.calculate_gain("leaky_relu", True),
]


@pytest.mark.parametrize("i", range(len(INIT_ERRORS)))
def test_init_errors(i):
    same_error(INIT_ERRORS[i])


@pytest.mark.parametrize("fn", ["kaiming_uniform_", "kaiming_normal_"])
def test_zero_element_init_warns_as_torch(fn):
    for lib in LIBS:
        t = lib.empty(0, 3)
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            assert getattr(lib.nn.init, fn)(t) is t


@pytest.mark.parametrize("build", [
    lambda lib: lib.nn.Linear(300, 200),
    lambda lib: lib.nn.Conv2d(12, 64, 5),
    lambda lib: lib.nn.Conv2d(12, 64, (3, 2), groups=4),
])
def test_default_layer_init_inside_torchs_bounds_and_spread_over_them(build):
    ours, theirs = build(minitorch), build(torch)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(theirs.weight)
    bound = 1 / math.sqrt(fan_in)          # kaiming_uniform_(a=sqrt(5)) and the bias rule
    for name in ("weight", "bias"):
        t = getattr(theirs, name).detach().numpy()
        o = getattr(ours, name).detach().numpy()
        assert np.abs(t).max() <= bound and np.abs(o).max() <= bound
        spread = 0.9 if name == "weight" else 0.6
        assert o.max() > spread * bound and o.min() < -spread * bound
        assert abs(o.std() - t.std()) < 0.15 * bound


def test_manual_seed_makes_two_inits_identical():
    minitorch.manual_seed(3)
    a = cifar_net(minitorch)
    minitorch.manual_seed(3)
    b = cifar_net(minitorch)
    for (name, pa), pb in zip(a.state_dict().items(), b.state_dict().values()):
        np.testing.assert_array_equal(pa.numpy(), pb.numpy(), err_msg=name)
    minitorch.manual_seed(3)
    w = minitorch.nn.init.normal_(minitorch.empty(5, 5))
    minitorch.manual_seed(3)
    assert minitorch.equal(w, minitorch.nn.init.normal_(minitorch.empty(5, 5)))
    assert not minitorch.equal(w, minitorch.nn.init.normal_(minitorch.empty(5, 5)))


def test_init_takes_a_generator():
    g1, g2 = minitorch.Generator().manual_seed(5), minitorch.Generator().manual_seed(5)
    a = minitorch.nn.init.uniform_(minitorch.empty(4, 4), generator=g1)
    assert minitorch.equal(a, minitorch.nn.init.uniform_(minitorch.empty(4, 4), generator=g2))

