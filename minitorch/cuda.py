"""minitorch.cuda: minitorch computes on the CPU only, so no GPU backend is ever usable."""


def is_available():
    return False


def device_count():
    return 0
