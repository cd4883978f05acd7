"""torchvision's part for minitorch: datasets, transforms, io, utils and the seed's models.

    import minitorch.vision as torchvision
"""
from . import datasets, io, models, transforms, utils
