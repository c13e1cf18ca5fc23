# Two entry points (see README): `make compare` runs the main job, `make test` the whole test suite.
# Both set up what they need first: a virtual environment from the pyenv Python named in
# .python-version, the package with its test extras, and Debian's chromium (browser tests, PNG export).

VENV    ?= .venv
PYTHON  ?= python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup chromium compare test test-fast lint bench notebooks mutation clean

$(STAMP): pyproject.toml
	@v=$$($(PYTHON) -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null); \
	if [ "$$v" != "True" ]; then echo "renosim needs Python >= 3.12 (pyenv reads .python-version: 3.12.1)"; exit 2; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium (browser tests and PNG export)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

compare: setup
	$(BIN)/renosim compare

test: setup chromium
	$(BIN)/python -m pytest -n auto

# The quick tier: everything but the slow tests (fuzzing, kill-and-resume, statistics) and the browser.
test-fast: setup
	$(BIN)/python -m pytest -n auto -m "not slow and not browser"
# Mutation testing (mutmut, [tool.mutmut] in pyproject.toml): each mutant of sim/rules/, sim/compound/
# and the results store (experiments/store.py, verify.py, stats.py) is run against the fast tier's
# tests that reach it; then the killed share per place (each must reach 85 %, equivalent survivors aside).
# MUTANTS narrows the run (e.g. MUTANTS='experiments.store*'); results accumulate in mutants/.
MUTANTS ?=
mutation: setup
	$(BIN)/mutmut run --max-children $${MUTATION_JOBS:-2} $(MUTANTS)
	$(BIN)/python tests/mutation_scores.py --list

# Every notebook executed into build/notebooks/ (git-ignored) as .ipynb and static HTML. Plotly
# figures use the "notebook" renderer, which embeds plotly.js in the output (a CDN link would be
# blank offline), plus a PNG copy (kaleido + chromium) for viewers that run no JavaScript.
NB_SRC  ?= notebooks
NB_OUT  ?= build/notebooks
NB_ENV  := PLOTLY_RENDERER=notebook+png BROWSER_PATH=$${BROWSER_PATH:-/usr/bin/chromium}

notebooks: setup chromium
	@mkdir -p $(NB_OUT)
	@for src in $(NB_SRC)/*.py; do \
	  nb=$(NB_OUT)/$$(basename $${src%.py}).ipynb; echo "executing $$src -> $$nb"; \
	  $(BIN)/jupytext --quiet --to ipynb --output $$nb $$src && \
	  $(NB_ENV) $(BIN)/jupyter nbconvert --log-level WARN --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=900 $$nb && \
	  $(BIN)/jupyter nbconvert --log-level WARN --to html $$nb || exit 1; \
	done
	@echo "executed notebooks and HTML in $(NB_OUT)/"

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_city.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_viz.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_threads.py

clean:
	rm -rf $(VENV) .pytest_cache build mutants
