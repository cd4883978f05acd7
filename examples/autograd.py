"""The seed tutorial 2 (torch.autograd) on minitorch.

The seed's own example takes one training step of a pretrained resnet18; resnet18 comes
with the vision models of a later issue, so this script takes the same step (forward,
`(prediction - labels).sum()`, backward, a gradient-descent update) with a one-layer model
written out by hand, then runs the autograd tutorial's "Differentiation in Autograd"
example.
"""
import minitorch as torch

torch.manual_seed(0)

# one training step, as in the seed: data of 1 image 3x64x64, 1000 class scores
data = torch.rand(1, 3, 64, 64)
labels = torch.rand(1, 1000)
weight = (torch.randn(3 * 64 * 64, 1000) * 0.01).requires_grad_()
bias = torch.zeros(1000, requires_grad=True)

prediction = data.flatten(1) @ weight + bias  # forward pass
loss = (prediction - labels).sum()
loss.backward()  # backward pass
print(f"loss: {loss.item():.4f}, grad_fn: {loss.grad_fn}")
print(f"weight.grad shape: {weight.grad.shape}, bias.grad[:3]: {bias.grad[:3]}")

with torch.no_grad():  # gradient descent, lr = 1e-2
    for p in (weight, bias):
        p -= 1e-2 * p.grad
print(f"loss after one step: {((data.flatten(1) @ weight + bias) - labels).sum().item():.4f}")

# Differentiation in Autograd: Q = 3a^3 - b^2, dQ/da = 9a^2, dQ/db = -2b
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)
