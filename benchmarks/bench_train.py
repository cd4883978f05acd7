"""Time one epoch of the main job in minitorch and in torch CPU, back to back.

Both engines run the seed's Fashion-MNIST setup with their own full pipeline (dataset,
ToTensor + Normalize, shuffled DataLoader of batch 4, the TensorBoard section's net,
cross-entropy, SGD lr 0.001 momentum 0.9) for the same number of mini-batches, then test.
torch runs with 2 threads (this machine's cores) unless --torch-threads says otherwise.
Run it on an idle machine:

    .venv/bin/python benchmarks/bench_train.py            # one full epoch each
    .venv/bin/python benchmarks/bench_train.py --steps 3000

Writes benchmarks/results/train.json.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time


def run(lib, vision, models_net, root, steps, num_workers):
    """Train `steps` mini-batches and test once; seconds for each part and the accuracy."""
    from minitorch import training

    lib.manual_seed(0)
    # the main job's pipeline (its defaults: batch 4, shuffled), in either engine
    trainloader, testloader = training.loaders(
        training.parser().parse_args(["--data", root, "--num-workers", str(num_workers)]),
        lib, vision)
    net = models_net()
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    start = time.perf_counter()
    for i, (inputs, labels) in enumerate(trainloader):
        if i == steps:
            break
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    correct = total = 0
    with lib.no_grad():
        for images, labels in testloader:
            correct += (net(images).argmax(1) == labels).sum().item()
            total += labels.size(0)
    return {"train_s": train_s, "test_s": time.perf_counter() - start,
            "steps": min(steps, len(trainloader)), "accuracy": 100 * correct / total}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=15000, help="mini-batches (15000 = 1 epoch)")
    p.add_argument("--num-workers", type=int, default=2)
    p.add_argument("--torch-threads", type=int, default=2)
    args = p.parse_args()

    import torch
    import torchvision
    from reference import models as torch_models
    from reference.data import unpack_for_torchvision
    import minitorch
    import minitorch.vision
    from minitorch.vision.models import FashionMNISTNet
    torch.set_num_threads(args.torch_threads)

    root = tempfile.mkdtemp(prefix="bench-fmnist-")
    unpack_for_torchvision("fashion-mnist", root)   # where torchvision reads it
    try:
        results = {
            "minitorch": run(minitorch, minitorch.vision, FashionMNISTNet, root, args.steps,
                             args.num_workers),
            "torch": run(torch, torchvision, torch_models.FashionMNISTNet, root, args.steps,
                         args.num_workers),
        }
    finally:
        shutil.rmtree(root)
    results["ratio_train"] = results["minitorch"]["train_s"] / results["torch"]["train_s"]
    results["config"] = {"steps": args.steps, "num_workers": args.num_workers,
                         "torch_threads": args.torch_threads,
                         "torch": torch.__version__, "python": sys.version.split()[0]}
    for engine in ("minitorch", "torch"):
        r = results[engine]
        print(f"{engine:9s}: {r['steps']} steps in {r['train_s']:.1f} s "
              f"({1e3 * r['train_s'] / r['steps']:.2f} ms/step), test {r['test_s']:.1f} s, "
              f"accuracy {r['accuracy']:.2f} %")
    print(f"minitorch / torch (training): {results['ratio_train']:.2f}")
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    path = os.path.join(os.path.dirname(__file__), "results", "train.json")
    with open(path + ".tmp", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
