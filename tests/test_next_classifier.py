"""The classifier a learner writes after the seed: BatchNorm, Dropout, AdaptiveAvgPool2d,
AdamW, a StepLR schedule, gradient clipping, label smoothing, inference_mode, written once
and run by both engines from the same weights on the same batches (float64).

The random parts (Dropout's mask, augmentation) draw from each engine's own stream, so
Dropout is given p=0 for the lockstep; everything else must agree with torch to 1e-9 at
every step: the loss, every parameter, BatchNorm's running statistics, the learning rate,
the clipped gradient's total norm, and the evaluation outputs at the end."""
import numpy as np
import torch

import minitorch
from parity import assert_close
from reference.transfer import copy_weights


def build(lib):
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.LeakyReLU(0.1),
                nn.AdaptiveAvgPool2d((2, 2)))
            self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.0), nn.Linear(64, 32),
                                            nn.GELU(), nn.BatchNorm1d(32), nn.Linear(32, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    return Net().double()


def train(lib, model, batches):
    """A few epochs of the learner's loop; what each step leaves behind, for comparison."""
    optimizer = lib.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    scheduler = lib.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    loss_fn = lib.nn.CrossEntropyLoss(label_smoothing=0.1)
    record = []
    for epoch in range(3):
        model.train()
        for x, y in batches:
            x, y = lib.from_numpy(x), lib.from_numpy(y)
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            norm = lib.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
            optimizer.step()
            record.append((loss.detach(), norm, {k: v.detach().clone()
                                                 for k, v in model.state_dict().items()}))
        scheduler.step()
        record.append(scheduler.get_last_lr())
    model.eval()
    with lib.inference_mode():
        outputs = model(lib.from_numpy(batches[0][0]))
    return record, outputs


def test_the_next_classifier_trains_as_torchs_step_for_step():
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((6, 1, 12, 12)), rng.integers(0, 10, 6)) for _ in range(3)]
    ours = build(minitorch)
    theirs = copy_weights(ours, build(torch))
    ours_record, ours_out = train(minitorch, ours, batches)
    theirs_record, theirs_out = train(torch, theirs, batches)
    assert len(ours_record) == len(theirs_record)
    for step, (a, b) in enumerate(zip(ours_record, theirs_record)):
        if isinstance(a, list):                       # the learning rates after an epoch
            assert a == b, f"learning rate after step {step}: {a} != {b}"
            continue
        assert_close(a[0], b[0], rtol=1e-9, what=f"loss at step {step}")
        assert_close(a[1], b[1], rtol=1e-9, what=f"clipped gradient norm at step {step}")
        assert list(a[2]) == list(b[2])
        for name in a[2]:
            assert_close(a[2][name], b[2][name], rtol=1e-9, what=f"{name} after step {step}")
    assert_close(ours_out, theirs_out, rtol=1e-9, what="evaluation outputs")
    assert not ours_out.requires_grad and ours_out.is_inference()
