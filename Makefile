# trainkit — two commands: `make lab` (学员/培训师开始学习) and `make test` (运行全部测试).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
LAB_ARGS ?=
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` and `jupyter` from PATH: use the ones in the virtual environment.
export PATH := $(abspath $(BIN)):$(PATH)
PYTEST_ARGS ?= --nbval-lax tests notebooks exercises/source

.PHONY: lab test bench demo check clean venv lint

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/trainkit lab $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

check: $(STAMP)
	$(BIN)/trainkit check

# The project's habits: ruff's lint and format rules (pyproject.toml) and a type check of src/.
lint: $(STAMP)
	$(BIN)/ruff check src tests deploy benchmarks
	$(BIN)/ruff format --check src tests deploy benchmarks
	$(BIN)/mypy src/trainkit

# A local trial of the district deployment on 127.0.0.1 (root: it creates Unix accounts); deploy/README.md.
.PHONY: hub
hub:
	bash deploy/trial.sh

demo: $(STAMP)
	$(BIN)/trainkit demo --out demo-course

clean:
	rm -rf $(VENV) demo-course .pytest_cache
