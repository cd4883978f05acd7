"""The seed tutorial 2 (torch.autograd) on minitorch: one training step of resnet18, then
the tutorial's "Differentiation in Autograd" example.

The seed loads `resnet18(weights=ResNet18_Weights.DEFAULT)`; that works here too once
torchvision's weight file (resnet18-f37072fd.pth) is in torch's cache folder
(`minitorch.hub.get_dir()`/checkpoints, where torchvision keeps it). Offline and without
the file, this script takes the same step from torchvision's random initialisation.
"""
import os

import minitorch as torch
from minitorch.vision.models import ResNet18_Weights, resnet18

torch.manual_seed(0)
cached = os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(ResNet18_Weights.DEFAULT.url))
model = resnet18(weights=ResNet18_Weights.DEFAULT if os.path.exists(cached) else None)

# one training step, as in the seed: 1 image 3x64x64, 1000 class scores
data = torch.rand(1, 3, 64, 64)
labels = torch.rand(1, 1000)
prediction = model(data)  # forward pass
loss = (prediction - labels).sum()
loss.backward()  # backward pass
print(f"loss: {loss.item():.4f}, grad_fn: {loss.grad_fn}")
print(f"conv1.weight.grad shape: {model.conv1.weight.grad.shape}")

optim = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
optim.step()  # gradient descent
print(f"loss after one step: {(model(data) - labels).sum().item():.4f}")

# Differentiation in Autograd: Q = 3a^3 - b^2, dQ/da = 9a^2, dQ/db = -2b
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)
