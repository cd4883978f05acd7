"""`python -m reference train|lockstep ...`: the command line (see reference/train.py and
reference/lockstep.py)."""
import importlib
import sys

USAGE = """usage: python -m reference {train,lockstep} [flags...]

commands:
  train     the main job (python -m minitorch train) with torch doing every step, from
            minitorch's initial weights and batch order; --device cuda|cpu
  lockstep  minitorch and torch side by side from the same weights on the same batches,
            comparing losses, gradients and parameters at every step"""

if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else None
    if command not in ("train", "lockstep"):
        asked = command in ("-h", "--help")
        print(USAGE, file=sys.stdout if asked else sys.stderr)
        sys.exit(0 if asked else 2)
    status = importlib.import_module(f"reference.{command}").main(sys.argv[2:])
    sys.exit(status if command == "lockstep" else 0)   # lockstep: 1 when parity broke
