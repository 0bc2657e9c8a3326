# The two commands of the README: `make run` and `make test`. Everything else follows.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check lint system-deps clean dist dist-onedir

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# compat: a plain path in a .pth; the default import hook costs every process 20 ms.
	$(PY) -m pip install --quiet --config-settings editable_mode=compat -e '.[test,build]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m app $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check app tests bench tools packaging
	$(PY) -m ruff format --check app tests bench tools packaging
	$(PY) -m mypy app

test: lint system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast subset while working: no packaging build, nothing marked slow (4-5 minutes on two cores; `make test` 5-6).
check: lint system-deps
	$(PY) -m pytest -m "not slow and not packaging" $(PYTEST_ARGS)

system-deps:
	sh tools/system-deps.sh

# The standalone app (build.spec): dist/ferry is one file; dist-onedir makes
# dist/onedir/ferry/ferry, a folder that starts faster (nothing to unpack).
# system-deps: the libraries of Qt's xcb and wayland platforms must be here to be bundled.
dist: $(STAMP) system-deps
	$(PY) -m PyInstaller --noconfirm --clean build.spec

dist-onedir: $(STAMP) system-deps
	FERRY_ONEDIR=1 $(PY) -m PyInstaller --noconfirm --clean --distpath dist/onedir build.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
