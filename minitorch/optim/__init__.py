"""Optimizers: torch's update rules, step for step."""
from . import optimizer
from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Adam", "Optimizer", "SGD", "optimizer"]
