"""torchvision's part for minitorch: datasets, transforms, utils and the seed's models.

    import minitorch.vision as torchvision
"""
from . import datasets, models, transforms, utils
