# The two set-up commands of the README: `make demo` and `make test`.
# Everything else here is what they are made of.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= duban.web.settings

.PHONY: demo test install migrate demo-data serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

SEEDS   ?= ../shared/seeds

demo-data: migrate
	$(BIN)/python manage.py load_demo
	@for f in $(SEEDS)/*.txt $(SEEDS)/*.pdf $(SEEDS)/*.docx; do [ -f "$$f" ] && $(BIN)/duban ingest "$$f" || true; done

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

demo: demo-data
	@$(BIN)/python manage.py demo_banner
	$(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

test: install
	$(BIN)/python -m pytest
	scripts/with-postgres $(BIN)/python -m pytest -m postgres

bench: install
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) var/*.sqlite3
