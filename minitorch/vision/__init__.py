"""torchvision's part for minitorch: datasets, transforms, utils and the seed's models."""
