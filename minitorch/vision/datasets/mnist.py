"""MNIST and Fashion-MNIST: 28x28 grayscale images with labels 0-9, read from IDX files.

Files live where torchvision keeps them, `root/MNIST/raw/` and `root/FashionMNIST/raw/`,
plain (`train-images-idx3-ubyte`) or gzipped (`train-images-idx3-ubyte.gz`).
Fashion-MNIST is also found in Debian's `dataset-fashion-mnist` package folder.
"""
import os
from urllib.error import URLError

import numpy as np
from PIL import Image

from ...creation import from_numpy
from .idx import read_idx_uint8
from .utils import decompress_gz, download_url
from .vision import VisionDataset


class MNIST(VisionDataset):
    """The MNIST handwritten digits: `train=True` gives the 60,000 training images,
    `train=False` the 10,000 test images. `dataset[i]` is `(PIL image of mode "L", label)`
    before `transform` and `target_transform`; `.data` is the uint8 tensor N x 28 x 28 and
    `.targets` the int64 tensor of labels."""

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five",
               "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    extra_folders = []   # other places the files may already be, searched after raw_folder

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        split = "train" if train else "t10k"
        image_path = self._find(f"{split}-images-idx3-ubyte")
        label_path = self._find(f"{split}-labels-idx1-ubyte")
        if image_path is None or label_path is None:
            raise RuntimeError("Dataset not found. You can use download=True to download it\n"
                               + self._where_to_put_files())
        images = read_idx_uint8(image_path, ndim=3)
        labels = read_idx_uint8(label_path, ndim=1)
        if len(images) != len(labels):
            raise RuntimeError(f"{image_path} holds {len(images)} images but {label_path} "
                               f"holds {len(labels)} labels")
        self.data = from_numpy(images)
        self.targets = from_numpy(labels.astype(np.int64))

    def __getitem__(self, index):
        # straight from numpy: this runs once per image, every epoch
        images = self.data.numpy()
        try:
            img = Image.fromarray(images[index])
        except IndexError:    # numpy says "axis": say it as torch's tensor indexing does
            raise IndexError(f"index {index} is out of bounds for dimension 0 with size "
                             f"{len(images)}") from None
        target = int(self.targets.numpy()[index])
        return self._transformed(img, target)

    def __len__(self):
        return len(self.data)

    @property
    def raw_folder(self):
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def _find(self, name):
        """The path of IDX file `name` (plain or .gz) in raw_folder or an extra folder."""
        for folder in [self.raw_folder, *self.extra_folders]:
            for candidate in (name, name + ".gz"):
                path = os.path.join(folder, candidate)
                if os.path.isfile(path):
                    return path
        return None

    def _check_exists(self):
        return all(self._find(filename[: -len(".gz")]) is not None for filename, _ in self.resources)

    def _where_to_put_files(self):
        names = ", ".join(filename for filename, _ in self.resources)
        return (f"Without internet access, download {names} from {self.mirrors[0]} "
                f"and put them in {self.raw_folder}")

    def download(self):
        """Download the four official .gz files that are missing into raw_folder (md5
        checked, trying each mirror in turn) and unpack them beside the .gz, as torchvision."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            if self._find(filename[: -len(".gz")]) is not None:
                continue
            errors = []
            for mirror in self.mirrors:
                try:
                    download_url(f"{mirror}{filename}", self.raw_folder, filename, md5)
                except (RuntimeError, URLError, OSError) as e:
                    errors.append(e)
                    continue
                decompress_gz(os.path.join(self.raw_folder, filename))
                break
            else:
                tried = "".join(f"Tried {mirror}, got:\n{err}\n" for mirror, err in zip(self.mirrors, errors))
                raise RuntimeError(f"Error downloading {filename}:\n{tried}{self._where_to_put_files()}")

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grayscale images of 10 kinds of clothing, a drop-in
    replacement for MNIST. Also read from Debian's package folder when root lacks the files."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
    extra_folders = ["/usr/share/datasets/fashion-mnist"]   # Debian's dataset-fashion-mnist
