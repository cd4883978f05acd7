"""`python -m minitorch train ...`: the command line (see minitorch/training.py)."""
import sys

from .training import main

USAGE = "usage: python -m minitorch train [--help] [flags...]"

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "train":
        sys.exit(USAGE)
    main(sys.argv[2:])
