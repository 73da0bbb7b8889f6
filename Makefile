# Two commands: `make course` builds the course, `make test` runs every test.
# Both create .venv and install what they need first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book build . -W -n --keep-going

.PHONY: course test install grading-desk book system-packages hub-proxy lint benchmark benchmark-grading clean

course: book
	@echo ""
	@echo "The course is built."
	@echo "  Open the book:      $(CURDIR)/_build/html/index.html"
	@echo "  Start JupyterLab:   $(BIN)/jupyter lab"
	@echo "  Your exercises are in exercises/; check your progress with $(BIN)/smm-playbook progress"

install: $(STAMP) hub-proxy

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (set PYTHON=python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The certification item bank (certbank/), for the grading desk and the tests only:
# `make course` never installs it, so a learner's environment cannot build or
# answer a certification item.
CERTBANK_STAMP := $(VENV)/.certbank

grading-desk: $(CERTBANK_STAMP)

$(CERTBANK_STAMP): $(STAMP) certbank/pyproject.toml
	$(BIN)/python -m pip install --quiet --no-deps -e ./certbank
	touch $@

# The book is rebuilt only when one of its inputs changed (the stamp is written only
# after a build with zero warnings), so `make book` with nothing changed is instant.
BOOK_INPUTS := _config.yml _toc.yml pyproject.toml \
	$(shell find book exercises src -type f -not -name '*.pyc' 2>/dev/null)
BOOK_STAMP  := _build/html/.built

CONFIG_STAMP := _build/.config

book: $(BOOK_STAMP)

$(BOOK_STAMP): $(STAMP) $(CONFIG_STAMP) $(BOOK_INPUTS)
	$(JB)
	touch $@

# Jupyter Book 1 does not notice some configuration changes (a new .bib file, for
# one) in an incremental build, so a changed _config.yml or _toc.yml starts the
# HTML afresh. Executed notebooks stay cached in _build/.jupyter_cache.
$(CONFIG_STAMP): _config.yml _toc.yml
	rm -rf _build/html _build/.doctrees
	mkdir -p _build
	touch $@

system-packages:
	@sh scripts/install-system-packages.sh

# JupyterHub's proxy (configurable-http-proxy, from npm) for deploy/jupyterhub,
# pinned by its package-lock.json. Without npm the hub test skips with a message.
PROXY := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy

hub-proxy:
	@if [ -x $(PROXY) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the hub's proxy is not installed (make system-packages installs npm)."; \
	fi

lint: install
	$(BIN)/ruff check src tests benchmarks certbank
	$(BIN)/ruff format --check src tests benchmarks certbank
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Order matters: the book is built (zero warnings) before the tests that open it.
test: install grading-desk system-packages lint book
	@$(MAKE) --no-print-directory hub-proxy
	$(BIN)/python -m pytest -n 2 --dist loadfile tests --nbval-lax solutions exercises

benchmark: install
	$(BIN)/python benchmarks/run.py

# Our exam grader against nbgrader's autograde on the same 40 submissions
# (installs nbgrader into _build/nbgrader-venv the first time).
benchmark-grading: grading-desk
	$(BIN)/python benchmarks/grading.py --submissions 40

clean:
	rm -rf _build
