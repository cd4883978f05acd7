"""The reference: every step minitorch takes, taken by PyTorch (on CUDA when present), so
anyone can see the two engines agree.

    models     the seed's three nets written in torch
    transfer   weights from one engine to the other, exactly (names, shapes, dtypes checked)
    data       the main job's data pipeline in torch, in minitorch's batch order
    devices    --device (cuda when torch sees a GPU, else cpu); float32 without TF32
    train      `python -m reference train`: the main job with torch doing every step
    lockstep   `python -m reference lockstep`: both engines side by side, compared per step

minitorch never imports this package; it imports minitorch (and torch, torchvision).
"""
