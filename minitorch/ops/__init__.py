"""Every differentiable op, one module per family; `methods` attaches them to Tensor."""
