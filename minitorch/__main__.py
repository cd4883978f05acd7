"""`python -m minitorch train ...`: the command line (see minitorch/training.py)."""
import sys

from .training import main

USAGE = """usage: python -m minitorch train [flags...]

commands:
  train    train the seed tutorial's LeNet (Fashion-MNIST by default; --dataset mnist or
           cifar10) and test it; `python -m minitorch train --help` lists the flags"""

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "train":
        print(USAGE, file=sys.stdout if sys.argv[1:2] in (["-h"], ["--help"]) else sys.stderr)
        sys.exit(0 if sys.argv[1:2] in (["-h"], ["--help"]) else 2)
    main(sys.argv[2:])
