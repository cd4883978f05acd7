"""Parameters as one flat vector and back: what optimizers that see a model as a point in
R^n (line searches, evolution strategies, second-order methods) work with."""
from ... import errors
from ...facade.shape import cat
from ...tensor_base import TensorBase


def parameters_to_vector(parameters):
    """The parameters flattened and concatenated, in order (a graph node, as in torch)."""
    return cat([param.view(-1) for param in parameters])


def vector_to_parameters(vec, parameters):
    """Slice vec into the parameters' shapes, in order, and make each slice the parameter's
    data (the parameters then view vec's memory, as in torch)."""
    if not isinstance(vec, TensorBase):
        raise errors.vector_not_a_tensor(vec)
    pointer = 0
    for param in parameters:
        count = param.numel()
        param.data = vec[pointer:pointer + count].view_as(param).data
        pointer += count
