# The two commands: `make run` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages messages lint bench clean

$(STAMP): pyproject.toml
	bash bin/setup-system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

## make run: install, migrate, load the demo province, serve on 127.0.0.1:8000 with a Celery worker.
run: messages
	bash bin/run

## make test: install what the tests need and run the whole suite.
test: messages
	bash bin/setup-system --for-tests
	bash bin/test

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var staticfiles
