# The two commands: `make run` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages messages lint security audit bench mutation clean

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

## make lint: ruff, the import contracts of pyproject.toml (the layers of README's "Layout"), and bandit.
lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MAKE) security

## make security: bandit over the code (part of lint and CI); every accepted finding carries `# nosec` and its reason.
security: install
	$(BIN)/bandit -q -r cells criteria evaluations reports ops config -x '*/migrations/*'

## make audit: pip-audit of the pinned dependencies against its advisory service (needs the network; not in CI).
audit: install
	mkdir -p var && $(BIN)/python bin/pinned-requirements > var/pinned-requirements.txt
	$(BIN)/pip-audit --progress-spinner off --disable-pip --no-deps -r var/pinned-requirements.txt

bench: install
	$(BIN)/python bench/run_all.py

## make mutation: mutmut on the rule modules, one at a time against their own tests (not in CI; README
## "Mutation score"). MODULES="scoring rules" runs some of them; it takes minutes per module.
mutation: messages
	flock /tmp/chibo-heavy.lock $(BIN)/python bin/mutation $(MODULES)

clean:
	rm -rf $(VENV) var staticfiles
