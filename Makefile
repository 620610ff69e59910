# The two commands (see README): `make run` and `make test`. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The stamp carries a hash of requirements.txt, so changing a pin reinstalls.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: run test install lint check clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## make run: install, migrate, load the demo data and serve on http://127.0.0.1:8000
run: install
	./scripts/run-dev

## make test: install and run the whole suite (browser tests included when Chromium is there).
## Everything but the Celery worker tests runs on two processes (pytest-xdist; each has its own
## test database and live server); the worker tests then run one at a time (they share the broker).
test: install
	$(BIN)/python -m pytest -n 2 -m "not worker" --durations=10
	$(BIN)/python -m pytest -m "worker" --durations=10

## make lint: ruff, the architecture contracts (.importlinter), and the migrations must match the models
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts .pytest_cache .ruff_cache
