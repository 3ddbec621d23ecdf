# Renda 人大履职通 — the two commands: `make run` and `make test`.
# Everything a fresh machine needs is installed from here (PyPI, Debian packages).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/renda
# Two workers: the machine (and CI) has two cores.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=20
# Throwaway keys for checking the production settings; never used to store data. The calendar-coverage
# warning (renda.W001) is about data, not settings, and depends on today's date: it is left to the live
# server's check, /healthz and the home page, so that the build does not start failing each November.
DEPLOY_CHECK_ENV := SECRET_KEY=deploy-check-$(shell date +%s)-not-a-real-secret-key-0123456789abcdef \
	RENDA_FIELD_KEY=00112233445566778899aabbccddeeff RENDA_INDEX_KEY=ffeeddccbbaa99887766554433221100 \
	RENDA_CALENDAR_WARN_DAYS=0 DJANGO_SETTINGS_MODULE=config.settings.production

.PHONY: run test install system-deps lint check test-sqlite test-postgres postgres-ready bench lock clean \
	prod-check loadtest loadtest-mix messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	touch $@

install: $(VENV)/.installed

## make run — the demo county on SQLite at http://127.0.0.1:8000 (data kept between runs)
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0 2>/dev/null || true
	@echo "人大履职通: http://127.0.0.1:8000  (演示账号见 README.md)"
	scripts/supervise.sh "后台任务进程" $(BIN)/python manage.py job_worker & worker=$$!; \
	scripts/supervise.sh "定时任务进程" $(BIN)/python manage.py run_periodic & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## system packages the tests need: Debian's Chromium for browser tests, CJK fonts for PDFs and pages,
## LibreOffice (headless) and poppler-utils to render the official letters to PDF and read them back,
## GNU gettext to extract and check the English catalogue
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "安装系统依赖:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## make messages — extract the UI strings into the English catalogue and compile it; translate each new
## (empty or fuzzy) entry in locale/en/LC_MESSAGES/django.po, then run it again. A test checks that none is left.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var -v 0
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv -v 0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: install system-deps
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest $(PYTEST_ARGS)

postgres-ready: install
	@$(BIN)/python scripts/postgres_ready.py "$(PG_URL)"

test-postgres: install system-deps
	@if [ "$$RENDA_SKIP_POSTGRES" = 1 ]; then \
		echo "RENDA_SKIP_POSTGRES=1: 跳过 PostgreSQL 测试"; \
	else \
		$(MAKE) --no-print-directory postgres-ready && DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	fi

## make test — lint, migrations, deploy check, then the whole suite on SQLite and on PostgreSQL
test: lint check test-sqlite test-postgres

## make prod-check — the documented production start: migrate, collectstatic, check --deploy, gunicorn on a
## free port; the login page and a compressed static file answer 200; a wrong field key is refused
prod-check: install
	$(BIN)/python scripts/prod_check.py

## make loadtest — 20 clients on the public opinion form for 60 s, on SQLite and on PostgreSQL (loopback)
LOADTEST_SECONDS ?= 60
loadtest: install
	$(BIN)/python scripts/loadtest_opinions.py --database sqlite --seconds $(LOADTEST_SECONDS) --clients 20
	@if [ "$$RENDA_SKIP_POSTGRES" = 1 ]; then echo "RENDA_SKIP_POSTGRES=1: 跳过 PostgreSQL"; else \
		$(MAKE) --no-print-directory postgres-ready && $(BIN)/python scripts/loadtest_opinions.py \
		--database $(PG_URL)_loadtest --seconds $(LOADTEST_SECONDS) --clients 20; fi

## make loadtest-mix — deputies, staff, residents and units against the production start (2 gunicorn
## processes, 2 job workers) on a copy of LOADTEST_DB (default: the full-size bench database), loopback only
LOADTEST_DB ?= $(PG_URL)_bench_full
loadtest-mix: install postgres-ready
	$(BIN)/python scripts/loadtest_mix.py --database $(LOADTEST_DB) --seconds $(LOADTEST_SECONDS)

## make bench — every main page and API endpoint for a county and a province user, on PostgreSQL at the
## demo size, seed_scale --scale 0.05 and seed_scale's full size (seeded once, then reused), and the growth
## from the demo to each (issue 15 §5). BENCH_ARGS e.g. "--sizes demo small" or "--use full=renda_scale_full".
BENCH_ARGS ?=
bench: install postgres-ready
	$(BIN)/python scripts/bench_sizes.py --pg $(PG_URL) $(BENCH_ARGS)

lock: $(BIN)/python
	{ head -n 2 requirements.lock; $(BIN)/pip freeze --exclude-editable \
		| sed -E 's#^([A-Za-z0-9_.-]+) @ file://.*/[A-Za-z0-9_.]+-([0-9][^-]*)-.*\.whl.*$$#\1==\2#'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) var/test.sqlite3
