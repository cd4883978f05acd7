"""CIFAR-10: 32x32 colour images in 10 classes, read from the official python pickles.

The files (`data_batch_1..5`, `test_batch`, `batches.meta`) live in
`root/cifar-10-batches-py/`, as the official `cifar-10-python.tar.gz` unpacks. They are
pickles, and a plain pickle can run any code; `SafeUnpickler` only rebuilds numpy arrays
and builtin containers, so a tampered file fails instead of running.
"""
import os
import pickle
from urllib.error import URLError

import numpy as np
from PIL import Image

from .utils import check_integrity, download_url, extract_tar
from .vision import VisionDataset


class SafeUnpickler(pickle.Unpickler):
    """An unpickler that finds only what a pickled numpy array needs; anything else
    (os.system, builtins.eval, ...) raises pickle.UnpicklingError. Lists, dicts, strings
    and numbers need no lookup at all."""

    allowed = {
        ("numpy", "ndarray"), ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
        ("_codecs", "encode"),   # how Python 3 writes bytes in a protocol-2 pickle
    }

    def find_class(self, module, name):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a dataset pickle")
        return super().find_class(module, name)


def load_pickle(path):
    """The object in the (Python 2, latin-1) pickle file `path`, rebuilt without running code."""
    with open(path, "rb") as f:
        return SafeUnpickler(f, encoding="latin1").load()


class CIFAR10(VisionDataset):
    """CIFAR-10: `train=True` gives the 50,000 training images, `train=False` the 10,000
    test images. `dataset[i]` is `(PIL RGB image, label)` before the transforms; `.data` is
    a numpy uint8 array N x 32 x 32 x 3 and `.targets` a list of ints, as in torchvision."""

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [
        ["test_batch", "40351d587109b95175f43aff81a1287e"],
    ]
    meta = {
        "filename": "batches.meta",
        "key": "label_names",
        "md5": "5ff9c542aee3614f3951f8cda6e48888",
    }

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_integrity():
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to download it")
        batches, self.targets = [], []
        for file_name, _ in self.train_list if train else self.test_list:
            entry = load_pickle(os.path.join(self.root, self.base_folder, file_name))
            batches.append(entry["data"])
            self.targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        # each row is 1024 red, then 1024 green, then 1024 blue values: make it H x W x C
        self.data = np.vstack(batches).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self._load_meta()

    def _load_meta(self):
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        if not check_integrity(path, self.meta["md5"]):
            raise RuntimeError("Dataset metadata file not found or corrupted. "
                               "You can use download=True to download it")
        self.classes = load_pickle(path)[self.meta["key"]]
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index):
        img = Image.fromarray(self.data[index])
        target = self.targets[index]
        return self._transformed(img, target)

    def __len__(self):
        return len(self.data)

    def _check_integrity(self):
        folder = os.path.join(self.root, self.base_folder)
        return all(check_integrity(os.path.join(folder, name), md5)
                   for name, md5 in self.train_list + self.test_list)

    def download(self):
        """Download the official archive (md5 checked) into root and unpack it there."""
        if self._check_integrity():
            return
        try:
            download_url(self.url, self.root, self.filename, self.tgz_md5)
        except (URLError, OSError) as e:
            raise RuntimeError(
                f"Error downloading {self.url}: {e}\nWithout internet access, download "
                f"{self.filename} from {self.url} and put it in {self.root} (or unpack it there, "
                f"which makes the folder {os.path.join(self.root, self.base_folder)})") from e
        extract_tar(os.path.join(self.root, self.filename), self.root)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"
