"""Utilities: data loading (utils.data) and TensorBoard logging (utils.tensorboard)."""
from . import data
