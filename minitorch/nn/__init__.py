"""Neural-network building blocks: Module, layers, losses, functional, init."""
from . import functional, init
from .modules import (AvgPool2d, Conv2d, CrossEntropyLoss, Dropout, Flatten, Identity, Linear,
                      LogSoftmax, MaxPool2d, Module, ModuleDict, ModuleList, MSELoss, NLLLoss,
                      ReLU, Sequential, Sigmoid, Softmax, Tanh)
from .modules import (AdaptiveAvgPool2d, AdaptiveMaxPool2d, BatchNorm1d, BatchNorm2d, BatchNorm3d,
                      Embedding, LayerNorm)
from .modules import (BCELoss, BCEWithLogitsLoss, ELU, GELU, HuberLoss, L1Loss, LeakyReLU, SiLU,
                      SmoothL1Loss)
from .parameter import Buffer, Parameter
from . import utils  # noqa: E402  (torch.nn.utils comes with torch.nn)
