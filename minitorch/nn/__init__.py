"""Neural-network building blocks: Module, layers, losses, functional, init."""
from . import functional, init
from .modules import (AvgPool2d, Conv2d, CrossEntropyLoss, Dropout, Flatten, Identity, Linear,
                      LogSoftmax, MaxPool2d, Module, ModuleDict, ModuleList, MSELoss, NLLLoss,
                      ReLU, Sequential, Sigmoid, Softmax, Tanh)
from .parameter import Buffer, Parameter
