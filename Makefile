# `make setup` builds .venv with everything the project needs; `make train` runs the main
# job (the seed's Fashion-MNIST training); `make test` runs the suite.
# Both are idempotent: a second run only checks stamps.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup train test examples bench data reference lockstep tensorboard

setup: $(STAMP) data

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian's packages the project uses, each when it is missing and apt is usable:
# Fashion-MNIST (the training job's data) and graphviz (`dot`, for minitorch.viz.make_dot).
data:
	@if [ ! -d /usr/share/datasets/fashion-mnist ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -q dataset-fashion-mnist || (apt-get update -q && apt-get install -y -q dataset-fashion-mnist)); \
	fi
	@if ! command -v dot >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -q graphviz || (apt-get update -q && apt-get install -y -q graphviz)); \
	fi

# Extra flags for the job: make train ARGS="--epochs 1 --num-workers 0"
train: setup
	$(PY) -m minitorch train $(ARGS)

# TensorBoard on every run's logs (each run has its own folder under runs/), on
# http://localhost:6006; make tensorboard ARGS="--port 6007" for another port
tensorboard: setup
	$(PY) -m tensorboard.main --logdir runs $(ARGS)

# The main job with torch doing every step (same flags as train, plus --device cuda|cpu)
reference: setup
	$(PY) -m reference train $(ARGS)

# Both engines side by side, step by step (README: "The reference");
# make lockstep ARGS="--device cpu" where torch has a GPU but the CPU figures are wanted
lockstep: setup
	$(PY) -m reference lockstep --model fashion-mnist --steps 1000 --dtype float64 $(ARGS)
	$(PY) -m reference lockstep --model lenet --steps 1000 --dtype float64 $(ARGS)
	$(PY) -m reference lockstep --model cifar --steps 1000 --dtype float64 $(ARGS)
	$(PY) -m reference lockstep --model fashion-mnist --steps 15000 --dtype float32 --tol-steps 100 $(ARGS)

test: setup
	$(PY) -m pytest -q

examples: setup
	$(PY) examples/tensors.py
	$(PY) examples/autograd.py

bench: setup
	$(PY) -m benchmarks
