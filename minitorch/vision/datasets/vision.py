"""VisionDataset: what every image dataset shares (root, transforms, the printed form)."""
import os

from ...utils.data import Dataset


class VisionDataset(Dataset):
    """Base of the image datasets: keeps root, transform and target_transform and prints
    as torchvision's datasets do:

        Dataset FashionMNIST
            Number of datapoints: 60000
            Root location: data
            Split: Train
            StandardTransform
        Transform: ToTensor()
    """

    _repr_indent = 4

    def __init__(self, root, transform=None, target_transform=None):
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        self.transform = transform
        self.target_transform = target_transform
        has_transforms = transform is not None or target_transform is not None
        self.transforms = StandardTransform(transform, target_transform) if has_transforms else None

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def _transformed(self, img, target):
        """An item as __getitem__ returns it: transform and target_transform applied (read
        at every call, so setting dataset.transform later takes effect, as in torchvision)."""
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def extra_repr(self):
        return ""

    def __repr__(self):
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body.append(repr(self.transforms))
        indent = " " * self._repr_indent
        return "\n".join([f"Dataset {type(self).__name__}"] + [indent + line for line in body])


class StandardTransform:
    """Applies transform to the image and target_transform to the target."""

    def __init__(self, transform=None, target_transform=None):
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @staticmethod
    def _format(transform, head):
        lines = repr(transform).splitlines()
        return [head + lines[0]] + [" " * len(head) + line for line in lines[1:]]

    def __repr__(self):
        body = [type(self).__name__]
        if self.transform is not None:
            body += self._format(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format(self.target_transform, "Target transform: ")
        return "\n".join(body)
