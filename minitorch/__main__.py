"""`python -m minitorch train ...`: the command line (see minitorch/training.py)."""
import sys

from . import __version__

USAGE = """usage: python -m minitorch [-h] [--version] train [flags...]

commands:
  train    train the seed tutorial's LeNet (Fashion-MNIST by default; --dataset mnist or
           cifar10) and test it; `python -m minitorch train --help` lists the flags"""


def main(argv):
    """Run the command argv names; returns the exit status (the job's own errors exit
    from within, with one line on stderr)."""
    command = argv[0] if argv else None
    if command == "train":
        from .training import main as train   # matplotlib & co. only for a real command
        train(argv[1:])
        return 0
    if command == "--version":
        print(f"minitorch {__version__}")
        return 0
    if command in ("-h", "--help"):
        print(USAGE)
        return 0
    print(USAGE, file=sys.stderr)
    print("python -m minitorch: error: " + (f"unknown command {command!r}" if command
                                            else "a command is required"), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
