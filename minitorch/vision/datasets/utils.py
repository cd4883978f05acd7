"""Getting dataset files onto disk safely: md5 checks, downloads, unpacking.

Every file is written under a temporary name in its own directory and renamed into place
(os.replace) only once it is complete and checked, so an interrupted download or a wrong
checksum never leaves a half-written file where a loader would pick it up.
"""
import gzip
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.request

from tqdm import tqdm

from ..._files import atomic_open

USER_AGENT = "pytorch/vision"   # the servers of the official files know this agent


def calculate_md5(fpath, chunk_size=1024 * 1024):
    """The md5 hex digest of a file, read in chunks so big archives need little memory."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_integrity(fpath, md5=None):
    """True when fpath is a file and, if md5 is given, its checksum is md5."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or calculate_md5(fpath) == md5


def download_url(url, root, filename, md5=None):
    """Download url to root/filename with a progress bar, unless a file with the right md5
    is already there. The download is checked against md5 before it is renamed into place:
    a mismatch raises RuntimeError and leaves nothing behind. Network failures raise
    urllib's URLError / OSError for the caller to turn into advice."""
    fpath = os.path.join(root, filename)
    if check_integrity(fpath, md5):
        return
    os.makedirs(root, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    digest = hashlib.md5(usedforsecurity=False)
    with urllib.request.urlopen(request) as response, atomic_open(fpath) as f:
        with tqdm(total=response.length, unit="B", unit_scale=True, desc=filename) as bar:
            while chunk := response.read(1024 * 32):
                f.write(chunk)
                digest.update(chunk)
                bar.update(len(chunk))
        if md5 is not None and digest.hexdigest() != md5:
            raise RuntimeError(f"File not found or corrupted: {url} gave md5 {digest.hexdigest()}, "
                               f"expected {md5}.")


def decompress_gz(from_path):
    """Write the contents of `name.gz` to `name` beside it (atomically); return `name`."""
    to_path = from_path[: -len(".gz")]
    with gzip.open(from_path, "rb") as src, atomic_open(to_path) as dst:
        shutil.copyfileobj(src, dst)
    return to_path


def extract_tar(archive, to_path):
    """Unpack a .tar(.gz) archive into to_path. tarfile's "data" filter refuses members
    that would land outside to_path (absolute paths, `..`, links pointing out), devices and
    other special files. Each file is unpacked in a temporary folder and renamed into place."""
    os.makedirs(to_path, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".extract.", dir=to_path) as staging:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(staging, filter="data")
        for folder, _, files in os.walk(staging):
            target_folder = os.path.join(to_path, os.path.relpath(folder, staging))
            os.makedirs(target_folder, exist_ok=True)
            for name in files:
                os.replace(os.path.join(folder, name), os.path.join(target_folder, name))
