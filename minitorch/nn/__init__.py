"""Neural-network building blocks: Module, layers, losses, functional, init."""
from . import functional, init
from .parameter import Parameter
