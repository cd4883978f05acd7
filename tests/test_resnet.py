"""minitorch.vision.models' ResNets and minitorch.hub against torchvision and torch.hub.

- The models: print(model), state_dict names / shapes / dtypes, default init and
  zero_init_residual, and forward + backward from copied weights in train mode (BatchNorm
  batch statistics, running statistics afterwards) and eval mode, float64 and float32.
- The weights enums: members, urls, meta (the 1000 categories included), transforms().
- `weights=` in all its forms, pretrained=True/False and positional arguments (the same
  warnings and errors as torchvision).
- The checkpoint cache: files torch wrote into $TORCH_HOME/hub/checkpoints load; an absent
  file is downloaded (a fake urlopen serves it: no test touches the network), its hash
  checked as torchvision asks; offline, one RuntimeError says where to put the file.
"""
import copy
import email.message
import hashlib
import io
import os
import pickle
import urllib.request
import warnings
from urllib.error import URLError

import numpy as np
import pytest
import torch
import torch.hub
import torchvision.models
from PIL import Image
from torchvision.models import _meta as torchvision_meta

import minitorch
import minitorch.vision.models
from parity import assert_close, same_error, torch_name
from reference.transfer import copy_weights

MODELS = {minitorch: minitorch.vision.models, torch: torchvision.models}
RESNET18_FILE = "resnet18-f37072fd.pth"


# ---- no network, a temporary cache ----------------------------------------------------------

class FakeResponse(io.BytesIO):
    """What urlopen returns, serving `data` (torch.hub reads info(), minitorch headers);
    `fail_after` bytes in, read() raises as a dropped connection does."""

    def __init__(self, data, fail_after=None):
        super().__init__(data)
        self.headers = email.message.Message()
        self.headers["Content-Length"] = str(len(data))
        self.fail_after = fail_after

    def info(self):
        return self.headers

    def read(self, size=-1):
        if self.fail_after is not None and self.tell() >= self.fail_after:
            raise ConnectionResetError(104, "Connection reset by peer")
        return super().read(size)


class Network:
    """Stands in for urllib's urlopen in both engines: offline by default; `serve(data)`
    makes every request get `data`. Records the urls and user agents asked for."""

    def __init__(self):
        self.data = None
        self.fail_after = None
        self.requests = []

    def serve(self, data, fail_after=None):
        self.data, self.fail_after = data, fail_after

    def urlopen(self, request, *args, **kwargs):
        self.requests.append((request.full_url, request.get_header("User-agent")))
        if self.data is None:
            raise URLError("[Errno -3] Temporary failure in name resolution")
        return FakeResponse(self.data, self.fail_after)


@pytest.fixture(autouse=True)
def network(monkeypatch):
    """Every test here runs offline; torch.hub bound urlopen at import, so it is patched
    there too."""
    net = Network()
    monkeypatch.setattr(urllib.request, "urlopen", net.urlopen)
    monkeypatch.setattr(torch.hub, "urlopen", net.urlopen)
    return net


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    """An empty $TORCH_HOME for both engines; its checkpoints folder."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setattr(minitorch.hub, "_hub_dir", None)
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    return tmp_path / "torch_home" / "hub" / "checkpoints"


@pytest.fixture(scope="module")
def resnet18_written_by_torch(tmp_path_factory):
    """A randomly initialized torchvision resnet18, its state_dict saved by torch: the
    file's path and the model."""
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    path = tmp_path_factory.mktemp("written_by_torch") / RESNET18_FILE
    torch.save(model.state_dict(), path)
    return path, model


@pytest.fixture
def resnet18_in_the_cache(resnet18_written_by_torch, torch_home):
    """That file where torch would have cached torchvision's resnet18 weights; the model."""
    path, model = resnet18_written_by_torch
    torch_home.mkdir(parents=True)
    os.link(path, torch_home / RESNET18_FILE)
    return model


def same_state(ours, theirs, rtol=0):
    """Two state_dicts (or named parameter lists) with the same names and values."""
    ours, theirs = dict(ours), dict(theirs)
    assert list(ours) == list(theirs)
    for name in theirs:
        assert_close(ours[name], theirs[name], rtol, what=name)


def warnings_of(fn):
    """fn()'s result and the texts of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(w.message) for w in caught]


# ---- the models: structure and init -----------------------------------------------------------

@pytest.mark.parametrize("arch", ["resnet18", "resnet34", "resnet50"])
def test_printed_model_and_state_dict_layout_are_torchvisions(arch):
    ours, theirs = getattr(MODELS[minitorch], arch)(), getattr(MODELS[torch], arch)()
    assert repr(ours) == torch_name(repr(theirs))
    a, b = ours.state_dict(), theirs.state_dict()
    assert list(a) == list(b)
    for name in b:
        assert tuple(a[name].shape) == tuple(b[name].shape), name
        assert str(a[name].dtype) == torch_name(str(b[name].dtype)), name
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in theirs.parameters())


def test_class_names_and_submodules():
    ours, theirs = minitorch.vision.models.resnet50(), torchvision.models.resnet50()
    assert ([type(m).__name__ for m in ours.modules()]
            == [type(m).__name__ for m in theirs.modules()])
    assert isinstance(ours, minitorch.vision.models.ResNet)
    assert isinstance(ours.layer1[0], minitorch.vision.models.Bottleneck)
    assert isinstance(minitorch.vision.models.resnet18().layer1[0],
                      minitorch.vision.models.BasicBlock)
    assert ours.layer1[0].expansion == 4 and minitorch.vision.models.BasicBlock.expansion == 1


@pytest.mark.parametrize("kwargs", [{"num_classes": 10}, {"zero_init_residual": True},
                                    {"replace_stride_with_dilation": [False, True, True]}])
def test_builder_options(kwargs):
    arch = "resnet50" if "replace_stride_with_dilation" in kwargs else "resnet18"
    ours = getattr(MODELS[minitorch], arch)(**kwargs)
    theirs = getattr(MODELS[torch], arch)(**kwargs)
    assert repr(ours) == torch_name(repr(theirs))
    for name, value in theirs.state_dict().items():
        if "bn" in name or "downsample.1" in name:   # deterministic: BatchNorm's init
            assert_close(ours.state_dict()[name], value, what=name)


def test_default_init_has_torchvisions_distributions():
    """Convolutions: kaiming_normal_(fan_out, relu), mean 0 and std sqrt(2 / fan_out);
    the last layer: Linear's default, uniform in +-1/sqrt(512); BatchNorm weight 1, bias 0.
    Random draws differ, so each large tensor's mean and std are compared with torch's."""
    minitorch.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = minitorch.vision.models.resnet18(), torchvision.models.resnet18()
    ours_state = ours.state_dict()
    for name, value in theirs.state_dict().items():
        a, b = ours_state[name].numpy().astype(np.float64), value.numpy().astype(np.float64)
        if "bn" in name or "downsample.1" in name or b.ndim == 0:
            np.testing.assert_array_equal(a, b, err_msg=name)
        elif b.size >= 4096:
            assert abs(a.std() / b.std() - 1) < 0.1, name
            assert abs(a.mean() - b.mean()) < 0.1 * b.std(), name
    bound = 1 / np.sqrt(512)
    for name in ("fc.weight", "fc.bias"):
        a = ours_state[name].numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.9 * bound, name


def test_zero_init_residual_zeroes_the_last_batchnorm_of_each_block():
    for arch, last in (("resnet18", "bn2"), ("resnet50", "bn3")):
        ours = getattr(MODELS[minitorch], arch)(zero_init_residual=True)
        theirs = getattr(MODELS[torch], arch)(zero_init_residual=True)
        zeroed = [n for n, v in theirs.state_dict().items()
                  if n.endswith(f"{last}.weight") and not v.any()]
        assert len(zeroed) == (8 if arch == "resnet18" else 16)
        for name in zeroed:
            assert not ours.state_dict()[name].numpy().any(), name


@pytest.mark.parametrize("make", [
    lambda lib: MODELS[lib].resnet.BasicBlock(64, 64, groups=2),
    lambda lib: MODELS[lib].resnet.BasicBlock(64, 64, base_width=32),
    lambda lib: MODELS[lib].resnet.BasicBlock(64, 64, dilation=2),
    lambda lib: MODELS[lib].resnet18(replace_stride_with_dilation=[True]),
    lambda lib: MODELS[lib].resnet18(replace_stride_with_dilation=[False, True, True]),
], ids=["groups", "base_width", "dilation", "dilation_flags", "dilated_basic_block"])
def test_bad_arguments_raise_torchvisions_errors(make):
    same_error(make)


# ---- the models: forward and backward against torchvision ----------------------------------

def forward_backward_parity(arch, shape, dtype, rtol, modes=("train", "eval")):
    """The same weights in both engines; for each mode, a forward pass and a backward of
    a random upstream gradient: outputs, the input's and every parameter's gradient, and
    every buffer (running statistics after train mode) agree to rtol."""
    torch.manual_seed(0)
    theirs = getattr(MODELS[torch], arch)().to(getattr(torch, dtype))
    ours = getattr(MODELS[minitorch], arch)().to(getattr(minitorch, dtype))
    copy_weights(theirs, ours)
    rng = np.random.default_rng(0)
    for mode in modes:
        getattr(ours, mode)()
        getattr(theirs, mode)()
        x = rng.standard_normal(shape).astype(dtype)
        upstream = rng.standard_normal((shape[0], 1000)).astype(dtype)
        x_ours = minitorch.from_numpy(x.copy()).requires_grad_()
        x_theirs = torch.from_numpy(x.copy()).requires_grad_()
        out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
        assert_close(out_ours, out_theirs, rtol, what=f"{mode}: output")
        assert out_ours.grad_fn.name() == out_theirs.grad_fn.name()
        out_ours.backward(minitorch.from_numpy(upstream.copy()))
        out_theirs.backward(torch.from_numpy(upstream.copy()))
        assert_close(x_ours.grad, x_theirs.grad, rtol, what=f"{mode}: input grad")
        grads_ours = {n: p.grad for n, p in ours.named_parameters()}
        same_state(grads_ours, {n: p.grad for n, p in theirs.named_parameters()}, rtol)
        same_state(ours.named_buffers(), theirs.named_buffers(), rtol)
        ours.zero_grad()
        theirs.zero_grad()


def test_resnet18_float64_train_and_eval_mode():
    forward_backward_parity("resnet18", (2, 3, 64, 64), "float64", 1e-9)


def test_resnet18_float32_train_and_eval_mode():
    forward_backward_parity("resnet18", (2, 3, 64, 64), "float32", 1e-4)


def test_resnet50_float64_eval_mode():
    forward_backward_parity("resnet50", (1, 3, 32, 32), "float64", 1e-9, modes=("eval",))


def test_the_seeds_training_step_in_float64():
    """Tutorial 2's step (one 3x64x64 image, train mode, loss = (prediction - labels).sum(),
    SGD lr 1e-2 momentum 0.9) in float64: gradients and the stepped weights to 1e-9.
    (tests/test_seed.py runs it as written, in float32.)"""
    torch.manual_seed(0)
    theirs = torchvision.models.resnet18().double()
    ours = copy_weights(theirs, minitorch.vision.models.resnet18().double())
    rng = np.random.default_rng(0)
    data, labels = rng.uniform(0, 1, (1, 3, 64, 64)), rng.uniform(0, 1, (1, 1000))
    for lib, model in ((minitorch, ours), (torch, theirs)):
        loss = (model(lib.from_numpy(data.copy())) - lib.from_numpy(labels.copy())).sum()
        loss.backward()
        lib.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9).step()
    same_state({n: p.grad for n, p in ours.named_parameters()},
               {n: p.grad for n, p in theirs.named_parameters()}, 1e-9)
    same_state(ours.state_dict(), theirs.state_dict(), 1e-9)


# ---- the weights enums ----------------------------------------------------------------------

ENUMS = ["ResNet18_Weights", "ResNet34_Weights", "ResNet50_Weights"]


@pytest.mark.parametrize("enum", ENUMS)
def test_weights_enum_members_urls_meta_and_transforms(enum):
    ours, theirs = getattr(MODELS[minitorch], enum), getattr(MODELS[torch], enum)
    assert list(ours.__members__) == list(theirs.__members__)   # DEFAULT included
    for name in theirs.__members__:
        a, b = ours[name], theirs[name]
        assert repr(a) == repr(b) and str(a) == str(b)
        assert a.url == b.url
        assert a.meta == b.meta
        assert repr(a.transforms()) == repr(b.transforms())
        assert a.transforms().describe() == b.transforms().describe()
    assert ours.DEFAULT is ours[theirs.DEFAULT.name]
    assert isinstance(ours.DEFAULT, minitorch.vision.models.WeightsEnum)


def test_categories_are_torchvisions():
    categories = minitorch.vision.models.ResNet18_Weights.DEFAULT.meta["categories"]
    assert categories == torchvision_meta._IMAGENET_CATEGORIES
    assert len(categories) == 1000 and categories[0] == "tench"


def test_weights_survive_deepcopy_and_pickle():
    weights = minitorch.vision.models.ResNet50_Weights.IMAGENET1K_V2
    assert copy.deepcopy(weights) is weights
    assert pickle.loads(pickle.dumps(weights)) is weights


def preset(lib):
    return MODELS[lib].ResNet18_Weights.DEFAULT.transforms()


def test_transforms_of_a_pil_image():
    img = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 400, 3), np.uint8))
    ours, theirs = preset(minitorch)(img), preset(torch)(img)
    assert_close(ours, theirs, 1e-6)
    assert tuple(ours.shape) == (3, 224, 224)


def test_transforms_of_float_and_uint8_tensors():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (2, 3, 270, 300)).astype(np.float32)
    assert_close(preset(minitorch)(minitorch.from_numpy(x.copy())),
                 preset(torch)(torch.from_numpy(x.copy())), 1e-5)
    x64 = rng.uniform(0, 1, (3, 240, 260))
    assert_close(preset(minitorch)(minitorch.from_numpy(x64.copy())),
                 preset(torch)(torch.from_numpy(x64.copy())), 1e-5)
    u8 = rng.integers(0, 256, (3, 260, 250), dtype=np.uint8)
    ours = preset(minitorch)(minitorch.from_numpy(u8.copy()))
    theirs = preset(torch)(torch.from_numpy(u8.copy()))
    assert ours.dtype == minitorch.float32 and tuple(ours.shape) == tuple(theirs.shape)
    # resizing uint8 rounds a float32 sum: one step of 1/255 apart where torch's lands on
    # the other side of .5 (as tests/test_vision_transforms.py explains)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=0, atol=1.001 / 255 / 0.224)
    assert np.mean(np.abs(ours.numpy() - theirs.numpy()) > 1e-5) < 0.01


# ---- weights= in all its forms ----------------------------------------------------------------

def test_weights_verify_accepts_members_names_and_none():
    ours, theirs = MODELS[minitorch].ResNet18_Weights, MODELS[torch].ResNet18_Weights
    for obj in ("DEFAULT", "IMAGENET1K_V1", "ResNet18_Weights.DEFAULT", None):
        assert repr(ours.verify(obj)) == repr(theirs.verify(obj))
    assert ours.verify(ours.DEFAULT) is ours.IMAGENET1K_V1


@pytest.mark.parametrize("make", [
    lambda lib: MODELS[lib].resnet18(weights=MODELS[lib].ResNet50_Weights.DEFAULT),
    lambda lib: MODELS[lib].resnet50(weights=MODELS[lib].ResNet18_Weights.IMAGENET1K_V1),
    lambda lib: MODELS[lib].resnet18(weights=None, pretrained=True),
], ids=["another_models_weights", "resnet18_weights_for_resnet50", "weights_none_and_pretrained"])
def test_wrong_weights_raise_torchvisions_errors(make):
    same_error(make)


def test_unknown_weights_name_is_a_key_error():
    for lib in (minitorch, torch):
        with pytest.raises(KeyError, match="IMAGENET1K_V9"):
            MODELS[lib].resnet18(weights="IMAGENET1K_V9")


def test_num_classes_other_than_the_weights_is_torchvisions_value_error(torch_home):
    same_error(lambda lib: MODELS[lib].resnet18(weights="DEFAULT", num_classes=10))


def test_weights_load_from_the_cache_in_every_form(resnet18_in_the_cache, network):
    """A state_dict torch wrote, where torch would cache torchvision's download, is what
    resnet18(weights=...) loads, without a request; torchvision loads the same file."""
    theirs = resnet18_in_the_cache
    models = MODELS[minitorch]
    for weights in (models.ResNet18_Weights.DEFAULT, models.ResNet18_Weights.IMAGENET1K_V1,
                    "DEFAULT", "IMAGENET1K_V1", "ResNet18_Weights.DEFAULT"):
        same_state(models.resnet18(weights=weights).state_dict(), theirs.state_dict())
    assert network.requests == []
    loaded_by_torchvision = torchvision.models.resnet18(weights="DEFAULT").eval()
    ours = models.resnet18(weights="DEFAULT").eval()
    x = np.random.default_rng(0).uniform(0, 1, (1, 3, 64, 64)).astype(np.float32)
    assert_close(ours(minitorch.from_numpy(x.copy())),
                 loaded_by_torchvision(torch.from_numpy(x.copy())), 1e-4)


@pytest.mark.parametrize("call", [
    lambda lib: MODELS[lib].resnet18(pretrained=True),
    lambda lib: MODELS[lib].resnet18(pretrained=False),
    lambda lib: MODELS[lib].resnet18(True),
    lambda lib: MODELS[lib].resnet18(False, True),
    lambda lib: MODELS[lib].resnet18(weights="legacy", pretrained=True),
    lambda lib: MODELS[lib].resnet18(pretrained=True, num_classes=1000),
], ids=["pretrained", "not_pretrained", "positional", "positional_progress", "legacy",
        "num_classes"])
def test_legacy_pretrained_argument_as_torchvision(call, resnet18_in_the_cache):
    """The pre-0.13 forms: the same model (weights or not) and the same warnings."""
    theirs_file = resnet18_in_the_cache
    ours, ours_warnings = warnings_of(lambda: call(minitorch))
    theirs, theirs_warnings = warnings_of(lambda: call(torch))
    assert ours_warnings == theirs_warnings
    loaded = all(torch.equal(a, b) for a, b in zip(theirs.state_dict().values(),
                                                   theirs_file.state_dict().values()))
    if loaded:
        same_state(ours.state_dict(), theirs.state_dict())
    else:   # random init: not the file's weights
        assert not np.array_equal(ours.state_dict()["fc.weight"].numpy(),
                                  theirs_file.state_dict()["fc.weight"].numpy())


def test_resnet50_pretrained_true_means_imagenet1k_v1_not_default(torch_home, capsys):
    """As torchvision: the legacy flag asks for V1's file, DEFAULT is V2's."""
    for lib in (minitorch, torch):
        with warnings.catch_warnings(record=True) as caught, pytest.raises(Exception):
            warnings.simplefilter("always")
            MODELS[lib].resnet50(pretrained=True)
        assert "`weights=ResNet50_Weights.IMAGENET1K_V1`" in str(caught[-1].message)
        assert "resnet50-0676ba61.pth" in capsys.readouterr().out
    assert minitorch.vision.models.ResNet50_Weights.DEFAULT.url.endswith("resnet50-11ad3fa6.pth")


# ---- the hub's folder -------------------------------------------------------------------------

@pytest.mark.parametrize("env", [{}, {"TORCH_HOME": "/data/th"}, {"XDG_CACHE_HOME": "/xdg"},
                                 {"TORCH_HOME": "~/th", "XDG_CACHE_HOME": "/xdg"}])
def test_get_dir_reads_the_environment_as_torch(env, monkeypatch):
    monkeypatch.delenv("TORCH_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(minitorch.hub, "_hub_dir", None)
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    assert minitorch.hub.get_dir() == torch.hub.get_dir()


def test_set_dir_as_torch(tmp_path, monkeypatch):
    monkeypatch.setattr(minitorch.hub, "_hub_dir", None)
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    minitorch.hub.set_dir("~/my_hub")
    torch.hub.set_dir("~/my_hub")
    assert minitorch.hub.get_dir() == torch.hub.get_dir() == os.path.expanduser("~/my_hub")


# ---- downloads (a fake network) -------------------------------------------------------------

def checkpoint_bytes(tmp_path):
    """The bytes of a small torch-written checkpoint, and what it holds."""
    state = {"weight": torch.arange(6.0).view(2, 3), "step": torch.tensor(3)}
    path = tmp_path / "written_by_torch.pth"
    torch.save(state, path)
    return path.read_bytes(), state


def test_offline_and_absent_one_clear_error(torch_home, network, capsys):
    """torch says it is downloading, then lets urllib's error through; minitorch says the
    same line, then which file to put in which folder. Nothing is left behind."""
    with pytest.raises(RuntimeError) as raised:
        minitorch.vision.models.resnet18(weights="DEFAULT")
    ours_out = capsys.readouterr().out
    with pytest.raises(URLError):
        torchvision.models.resnet18(weights="DEFAULT")
    theirs_out = capsys.readouterr().out
    assert ours_out == theirs_out == (f'Downloading: "https://download.pytorch.org/models/'
                                      f'{RESNET18_FILE}" to {torch_home / RESNET18_FILE}\n')
    message = str(raised.value)
    assert RESNET18_FILE in message and f"put it in {torch_home} " in message
    assert "Temporary failure in name resolution" in message
    assert isinstance(raised.value.__cause__, URLError)
    assert os.listdir(torch_home) == []
    assert network.requests[0] == ("https://download.pytorch.org/models/" + RESNET18_FILE,
                                   "torch.hub")


def test_download_writes_the_file_with_a_progress_bar(tmp_path, torch_home, network, capsys):
    data, state = checkpoint_bytes(tmp_path)
    network.serve(data)
    url = "https://example.invalid/models/small-00000000.pth"
    loaded = minitorch.hub.load_state_dict_from_url(url)
    captured = capsys.readouterr()
    assert captured.out == f'Downloading: "{url}" to {torch_home / "small-00000000.pth"}\n'
    assert "100%" in captured.err
    assert (torch_home / "small-00000000.pth").read_bytes() == data
    assert os.listdir(torch_home) == ["small-00000000.pth"]
    same_state(loaded, state)
    loaded_again = minitorch.hub.load_state_dict_from_url(url)   # now from the cache
    same_state(loaded_again, state)
    assert len(network.requests) == 1
    assert capsys.readouterr().out == ""


def test_download_options_file_name_model_dir_and_no_progress(tmp_path, network, capsys):
    data, state = checkpoint_bytes(tmp_path)
    network.serve(data)
    folder = tmp_path / "elsewhere"
    loaded = minitorch.hub.load_state_dict_from_url("https://example.invalid/a/b.pth",
                                                    model_dir=str(folder), progress=False,
                                                    file_name="renamed.pth")
    same_state(loaded, state)
    assert os.listdir(folder) == ["renamed.pth"]
    assert capsys.readouterr().err == ""


def test_check_hash_as_torch(tmp_path, torch_home, network):
    """check_hash: the hex digits after the last '-' of the file name must begin the
    SHA256 of what was downloaded; a mismatch is torch's RuntimeError, and no file."""
    data, state = checkpoint_bytes(tmp_path)
    digest = hashlib.sha256(data).hexdigest()
    network.serve(data)
    good = f"https://example.invalid/small-{digest[:8]}.pth"
    same_state(minitorch.hub.load_state_dict_from_url(good, check_hash=True), state)
    bad = "https://example.invalid/small-00000000.pth"

    def load_bad(lib):
        lib.hub.load_state_dict_from_url(bad, check_hash=True)
    same_error(load_bad)
    assert sorted(os.listdir(torch_home)) == [f"small-{digest[:8]}.pth"]
    minitorch.hub.load_state_dict_from_url(bad)   # check_hash=False (the default): loads
    assert "small-00000000.pth" in os.listdir(torch_home)


def test_torchvision_weights_check_the_hash_of_a_download(resnet18_written_by_torch, torch_home,
                                                          network):
    """torchvision asks for check_hash=True: a download that is not torchvision's file
    (its SHA256 does not begin with f37072fd) is refused, with torch's words."""
    network.serve(resnet18_written_by_torch[0].read_bytes())
    same_error(lambda lib: MODELS[lib].resnet18(weights="DEFAULT", progress=False))
    assert os.listdir(torch_home) == []


def test_interrupted_download_leaves_nothing(tmp_path, torch_home, network):
    data, _ = checkpoint_bytes(tmp_path)
    network.serve(data, fail_after=100)
    with pytest.raises(RuntimeError, match="Connection reset by peer"):
        minitorch.hub.load_state_dict_from_url("https://example.invalid/small.pth",
                                               progress=False)
    assert os.listdir(torch_home) == []


def test_download_url_to_file_as_torch(tmp_path, network):
    data, _ = checkpoint_bytes(tmp_path)
    network.serve(data)
    minitorch.hub.download_url_to_file("https://example.invalid/x", str(tmp_path / "ours"),
                                       hash_prefix=hashlib.sha256(data).hexdigest()[:10],
                                       progress=False)
    torch.hub.download_url_to_file("https://example.invalid/x", str(tmp_path / "theirs"),
                                   progress=False)
    assert (tmp_path / "ours").read_bytes() == (tmp_path / "theirs").read_bytes() == data
    assert network.requests[0] == network.requests[1]   # the same url and user agent


class NotATensor:
    """A class a checkpoint must not be able to make minitorch build."""


def test_a_cached_file_holding_more_than_weights_is_refused(torch_home):
    """The cache is read as weights only, whatever weights_only says: a pickled object of
    another class is refused and nothing from the file runs."""
    torch_home.mkdir(parents=True)
    torch.save({"weight": torch.ones(2), "object": NotATensor()}, torch_home / "odd.pth")
    for weights_only in (False, True):
        with pytest.raises(pickle.UnpicklingError):
            minitorch.hub.load_state_dict_from_url("https://example.invalid/odd.pth",
                                                   weights_only=weights_only)
