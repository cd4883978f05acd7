"""The checkpoint cache of torch.hub: where pretrained weights live, and how they get there.

    state_dict = minitorch.hub.load_state_dict_from_url(url)

A checkpoint is looked for where torch keeps it, `<get_dir()>/checkpoints/<file name in the
url>`: `$TORCH_HOME/hub/checkpoints/`, with TORCH_HOME defaulting to
`$XDG_CACHE_HOME/torch` and XDG_CACHE_HOME to `~/.cache`. So a file torch (or torchvision)
downloaded once serves both engines. A missing file is downloaded from the url with a
progress bar on stderr, written whole or not at all (`atomic_open`); without a network,
one RuntimeError names the file and the folder to put it in. The file is read by
`minitorch.load`, which never runs code from a file.

torch.hub's other half (`hub.load` of a GitHub repo's hubconf.py) runs code fetched from
the network; minitorch has no such loader.
"""
import hashlib
import os
import re
import sys
import urllib.request
import warnings
from urllib.error import URLError
from urllib.parse import urlparse

from tqdm import tqdm

from . import errors
from ._files import atomic_open
from .serialization import load

__all__ = ["download_url_to_file", "get_dir", "load_state_dict_from_url", "set_dir"]

ENV_TORCH_HOME = "TORCH_HOME"
ENV_XDG_CACHE_HOME = "XDG_CACHE_HOME"
DEFAULT_CACHE_DIR = "~/.cache"
HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")   # bfd8deac in resnet18-bfd8deac.pth
READ_DATA_CHUNK = 128 * 1024
USER_AGENT = "torch.hub"                     # as torch.hub asks for its files

_hub_dir = None   # set_dir's folder; None: the one the environment names


def _get_torch_home():
    """$TORCH_HOME, else $XDG_CACHE_HOME/torch, else ~/.cache/torch (read on every call,
    as torch does, so a changed environment is seen at once)."""
    default = os.path.join(os.getenv(ENV_XDG_CACHE_HOME, DEFAULT_CACHE_DIR), "torch")
    return os.path.expanduser(os.getenv(ENV_TORCH_HOME, default))


def get_dir():
    """The hub's folder: set_dir's, else `$TORCH_HOME/hub`. Checkpoints go in its
    `checkpoints/` subfolder."""
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if _hub_dir is not None:
        return _hub_dir
    return os.path.join(_get_torch_home(), "hub")


def set_dir(d):
    """Use folder d (`~` expanded) as the hub's folder from now on, in this process."""
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Download url to the path dst, with a progress bar on stderr when progress is True.

    The bytes go to a temporary file beside dst that replaces dst only once it is complete
    (and, with hash_prefix, only once the SHA256 of the bytes starts with hash_prefix: else
    RuntimeError, as torch), so an interrupted download never leaves a broken checkpoint
    where a later load would pick it up. Network failures raise urllib's URLError/OSError."""
    dst = os.path.expanduser(dst)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as response, atomic_open(dst) as f:
        length = response.headers.get("Content-Length")
        sha256 = hashlib.sha256() if hash_prefix is not None else None
        with tqdm(total=int(length) if length else None, disable=not progress, unit="B",
                  unit_scale=True, unit_divisor=1024) as bar:
            while buffer := response.read(READ_DATA_CHUNK):
                f.write(buffer)
                if sha256 is not None:
                    sha256.update(buffer)
                bar.update(len(buffer))
        if sha256 is not None:
            digest = sha256.hexdigest()
            if digest[:len(hash_prefix)] != hash_prefix:
                raise errors.hub_invalid_hash(hash_prefix, digest)


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    """The object saved in the checkpoint at url, from the cache when it is there.

    The cached file is `<model_dir>/<file_name>`, model_dir defaulting to
    `<get_dir()>/checkpoints` and file_name to the last part of the url's path. A file
    already there is loaded as it is; a missing one is downloaded first (torch's
    `Downloading: "<url>" to <file>` line on stdout), and with check_hash the file name's
    `-<hex digits>.` part must begin the SHA256 of the downloaded bytes. When the download
    fails (no network), RuntimeError says which file to put in which folder.

    weights_only is accepted for torch's signature; the file is always read as
    `minitorch.load(..., weights_only=True)` reads it: tensors and containers, never code."""
    if os.getenv("TORCH_MODEL_ZOO"):
        warnings.warn("TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead",
                      stacklevel=2)
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        sys.stdout.write(f'Downloading: "{url}" to {cached_file}\n')
        match = HASH_REGEX.search(filename) if check_hash else None
        try:
            download_url_to_file(url, cached_file, match.group(1) if match else None,
                                 progress=progress)
        except (URLError, OSError) as e:
            raise errors.hub_download_failed(url, filename, model_dir, e) from e
    return load(cached_file, map_location=map_location, weights_only=True)
