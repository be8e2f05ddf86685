# The two set-up commands of the README: `make demo` and `make test`.
# Everything else here is what they are made of.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= duban.web.settings

.PHONY: demo test lint install system-demo system-test system-bench migrate demo-data serve worker bench bench-web corpus ocr clean

# The port `make demo` serves on: `make demo PORT=8001`.
PORT    ?= 8000
# The demo tells a story of 2020: the site runs on its date (demo/story.yaml) while the demo is served.
DEMO_TODAY ?= $(shell sed -n 's/^today: *//p' demo/story.yaml)
# The demo runs as production does, debug off (the Chinese error pages, no tracebacks), on a secret key
# made for the run (logins last until it stops); whitenoise serves the static files with debug off, as in
# production (docs/deploy.md). DUBAN_DEBUG=1 (development) is for those who want Django's debug pages.
DEMO_SECRET_KEY := $(shell $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')
migrate demo-data serve worker demo: export DUBAN_SECRET_KEY ?= $(DEMO_SECRET_KEY)
# Links in reminders that leave the site (e-mail, group robots) point at the port the demo serves on.
demo-data serve worker demo: export DUBAN_SITE_URL ?= http://127.0.0.1:$(PORT)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages (PostgreSQL, chromium, fonts …): installed when missing (scripts/system-packages).
system-demo:
	scripts/system-packages demo

system-test:
	scripts/system-packages test

system-bench:
	scripts/system-packages bench

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

SEEDS   ?= ../shared/seeds

demo-data: export DUBAN_TODAY = $(DEMO_TODAY)
demo-data: migrate
	$(BIN)/python manage.py load_demo
	@for f in $(SEEDS)/*.txt $(SEEDS)/*.pdf $(SEEDS)/*.docx; do [ -f "$$f" ] && $(BIN)/duban ingest "$$f" || true; done

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

# The background worker of 上传公文 (huey; its queue is var/queue.sqlite3): `make demo` runs it beside the server.
worker:
	$(BIN)/python manage.py run_huey

demo: export DUBAN_TODAY = $(DEMO_TODAY)
demo: system-demo demo-data
	@$(BIN)/python manage.py demo_banner --port $(PORT)
	$(BIN)/python manage.py run_huey & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

# The SQLite run on two workers (pytest-xdist); each test module stays on one worker, so the data a
# module builds once (tests/once.py) is built once. The PostgreSQL tests run on one.
# The suite runs on the real date (a test that needs the demo's clock sets it), both cores.
test: system-test install
	DUBAN_TODAY= $(BIN)/python -m pytest -n 2 --dist loadscope
	DUBAN_TODAY= scripts/with-postgres $(BIN)/python -m pytest -m postgres

# Lint and format (ruff), mypy --strict on the pure-Python cores, and the pipeline's import contracts
# (import-linter; all configured in pyproject.toml). Checked in CI by .ci/run.
lint: install
	$(BIN)/ruff check duban tests benchmarks
	$(BIN)/ruff format --check duban tests benchmarks
	$(BIN)/mypy duban/rules duban/intake
	$(BIN)/lint-imports

# How `duban extract` reads real documents of other places (../shared/corpus, its gold and scorer): F1 per
# field, per document and the means; tests/intake/test_corpus_floors.py holds the means above floors. Then
# the same for the regional fixtures (tests/fixtures/regional, floors in tests/intake/test_regional_fixtures.py).
corpus: install
	$(BIN)/python benchmarks/corpus.py
	@echo
	$(BIN)/python benchmarks/corpus.py --corpus tests/fixtures/regional

# How well a scan is read: corpus texts printed (LibreOffice), scanned to an image-only PDF at 300 dpi, read by
# OCR (tesseract chi_sim) and scored by the corpus's scorer beside the same text read directly (~1 min).
ocr: install system-test
	$(BIN)/python benchmarks/ocr.py

bench: install
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_extract.py

# The main pages at province scale (benchmarks/bench_web.py): median / p95 of 20 requests and the query count
# per page at each scale of `manage.py generate_province`, then gunicorn under wrk at the largest. One table;
# the exit status says whether the goal (p95 < 100 ms, ≤ 2× the smallest scale, ≥ 5% of the trivial view's
# requests/s) is met. `make bench-web SCALES="0.01 0.1 1"`; under scripts/with-postgres on PostgreSQL.
SCALES ?= 0.01 0.1
bench-web: install system-bench
	$(BIN)/python benchmarks/bench_web.py --scales $(SCALES)

clean:
	rm -rf $(VENV) var/*.sqlite3 var/*.sqlite3-wal var/*.sqlite3-shm
