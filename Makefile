# tacnghiep — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STATIC_VENDOR := src/tacnghiep/core/static/vendor
export TACNGHIEP_DATA_DIR ?= $(CURDIR)/var/run

.PHONY: run test bench install install-test assets messages lint schema demo clean

run: install  ## install everything, migrate, load the demo province and serve on http://127.0.0.1:8000
	$(BIN)/tacnghiep migrate --noinput -v 0
	$(BIN)/tacnghiep demo
	$(BIN)/tacnghiep serve

test: install-test  ## lint, types, then the whole suite on SQLite and on PostgreSQL
	scripts/test.sh

bench: install-test  ## performance figures (bench/README.md)
	scripts/bench.sh

install: system-run python assets messages
install-test: system-test python assets messages

system-run:
	scripts/ensure-system.sh run
system-test:
	scripts/ensure-system.sh test

python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[test,dev,production]'
	touch $@

assets: $(STATIC_VENDOR)/.installed
$(STATIC_VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(STATIC_VENDOR)/htmx
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_VENDOR)/htmx/
	mkdir -p $(STATIC_VENDOR)/pdfjs
	cp node_modules/pdfjs-dist/build/pdf.min.mjs node_modules/pdfjs-dist/build/pdf.worker.min.mjs $(STATIC_VENDOR)/pdfjs/
	cp node_modules/pdfjs-dist/LICENSE $(STATIC_VENDOR)/pdfjs/
	touch $@

messages: python
	cd src/tacnghiep && ../../$(BIN)/django-admin compilemessages -l vi --ignore '.venv' -v 0

lint: python
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

schema: python  ## regenerate the committed OpenAPI schema after an API change
	$(BIN)/tacnghiep spectacular --format openapi-json --file openapi.json --validate

makemessages: python  ## refresh the vi catalog after changing strings
	cd src/tacnghiep && ../../$(BIN)/django-admin makemessages -l vi --no-obsolete --ignore 'static/vendor/*' --ignore 'settings/*'

clean:
	rm -rf var node_modules $(STATIC_VENDOR) $(VENV)
