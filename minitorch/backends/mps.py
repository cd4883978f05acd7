"""minitorch.backends.mps: Apple's Metal backend, which minitorch is not built with."""


def is_available():
    return False


def is_built():
    return False
