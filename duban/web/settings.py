"""Django settings for duban.

Embedded SQLite (a file under var/) by default; PostgreSQL when DATABASE_URL is set.
Production hardening lives in duban.web.settings_production.
"""

import os

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from duban import PROJECT_DIR
from duban.clock import parse_today
from duban.web.client_ip import parse_proxy_count, parse_trusted_proxies
from duban.web.site_url import parse_count, parse_site_url

BASE_DIR = PROJECT_DIR
VAR_DIR = BASE_DIR / "var"

# Debug is off unless DUBAN_DEBUG=1 (development); only then may the site run on the fixed development
# key. Anything else needs its own DUBAN_SECRET_KEY and stops at start-up, naming it, without one.
DEBUG = os.environ.get("DUBAN_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DUBAN_SECRET_KEY", "").strip() or ("dev-only-not-secret-duban" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DUBAN_SECRET_KEY is not set: give the site a secret key of its own (50+ random characters), "
        "or set DUBAN_DEBUG=1 to run in development mode on the development key"
    )
ALLOWED_HOSTS = os.environ.get("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    # First, so that its templates (admin/base_site.html: the clock banner) override the admin's.
    "duban.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "huey.contrib.djhuey",  # the background worker of 上传公文 (HUEY below)
    "duban.accounts",
    "duban.accountability",
    "duban.ledger",
    "duban.scoring",
    "duban.reports",
    "duban.dashboards",
]

MIDDLEWARE = [
    # First: a body over DUBAN_MAX_REQUEST_BYTES is answered 413 before anything reads it.
    "duban.web.middleware.RequestSizeLimit",
    "django.middleware.security.SecurityMiddleware",
    # The static files, with debug off too (STATIC_URL; WHITENOISE_* below, settings_production).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY, on every response
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it watches the whole login for repeated failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.web.urls"
WSGI_APPLICATION = "duban.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.web.navigation.navigation",
                "duban.web.navigation.clock",
                "duban.web.navigation.regulation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'duban.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests on SQLite: a transaction takes the write lock when it begins (IMMEDIATE), so
    # it waits for another writer instead of failing with "database is locked" when a read turns into
    # a write; it waits up to 20 s (busy_timeout, first, so that switching to WAL waits too); readers
    # and the writer do not block each other (WAL, kept in the file); WAL commits need no fsync each.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA busy_timeout = 20000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation of queries: the ledger's counts by light carry correlated subqueries whose
    # estimated cost passes PostgreSQL's jit_above_cost, and compiling them took ~28 ms of a 60 ms count
    # (EXPLAIN ANALYZE at scale 0.1) that runs in 16 ms without it. duban's queries are short: JIT never pays.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))

# Checked wherever a password is chosen: 修改密码, the admin's forms, the demo's logins (load_demo). The
# common-password list ships with Django (read offline).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "duban.accounts.passwords.MinimumLengthValidator"},  # Django's, its refusal in Chinese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `manage.py collectstatic` gathers the static files (production serves them from there).
STATIC_ROOT = os.environ.get("DUBAN_STATIC_ROOT") or VAR_DIR / "static"
# whitenoise serves /static/ whatever DEBUG says. Here (development, the demo, the suite) it finds each file in
# its app's static/ folder when asked, so nothing needs collectstatic; production serves the collected,
# hashed and compressed copies instead (settings_production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"
MEDIA_ROOT = os.environ.get("DUBAN_MEDIA_ROOT") or VAR_DIR / "media"  # attachments of progress reports

# One limit on what a request may carry (attachments: 10 MB each, see duban.ledger.attachments);
# the front web server must cap the same (README, "Production"). Files over 2.5 MB are spooled to disk.
DUBAN_MAX_REQUEST_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = DUBAN_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Login throttling (django-axes): 5 failures for one username from one address lock it for 15 minutes.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's own, never one it can choose (duban/web/client_ip.py): REMOTE_ADDR, or behind
# DUBAN_PROXY_COUNT reverse proxies the entry of X-Forwarded-For the outermost one wrote, read only from the
# proxy next to duban (DUBAN_TRUSTED_PROXIES, loopback by default). README, "Behind a reverse proxy".
AXES_CLIENT_IP_CALLABLE = "duban.web.client_ip.client_ip"
DUBAN_PROXY_COUNT = parse_proxy_count(os.environ.get("DUBAN_PROXY_COUNT"))
DUBAN_TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("DUBAN_TRUSTED_PROXIES"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts from the site's
# own static files only; no inline script, no inline event handler, no style attribute (a test scans the
# templates), no plug-ins, no framing, forms post to the site itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# A failing request (the 500 page) is written to stderr, the service's log, with debug off too: Django's own
# logging would only mail it to ADMINS, which nobody set.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}

# Reminders go by e-mail only when a mail server is configured; they are always listed in-app.
EMAIL_BACKEND = os.environ.get("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DUBAN_EMAIL_REMINDERS = bool(os.environ.get("DUBAN_EMAIL_REMINDERS"))
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_FROM_EMAIL", "duban@localhost")
# Reminders leave the site by e-mail and IM group robots (duban/ledger/notify.py) with absolute links to
# DUBAN_SITE_URL; each sending is a Delivery row, tried by the worker and retried DUBAN_DELIVERY_RETRIES
# times, first after DUBAN_DELIVERY_RETRY_DELAY seconds and then twice as long each time.
DUBAN_SITE_URL = parse_site_url(os.environ.get("DUBAN_SITE_URL"), default="http://127.0.0.1:8000")
DUBAN_DELIVERY_RETRIES = parse_count("DUBAN_DELIVERY_RETRIES", os.environ.get("DUBAN_DELIVERY_RETRIES"), default=5)
DUBAN_DELIVERY_RETRY_DELAY = parse_count(
    "DUBAN_DELIVERY_RETRY_DELAY", os.environ.get("DUBAN_DELIVERY_RETRY_DELAY"), default=60
)
DUBAN_WEBHOOK_TIMEOUT = 10  # seconds a group robot may take to answer

# 上传公文 is read by a background worker, huey (`manage.py run_huey`; README, "The upload worker"): its
# queue is a SQLite file of its own (DUBAN_QUEUE_FILE, var/queue.sqlite3 by default) on the machine that
# serves the site, so it needs no other server (production on PostgreSQL keeps it in the database instead,
# for several application servers: settings_production). The job's state and
# progress are the ledger's UploadJob rows. Never immediate here (huey would be under DEBUG): the tests set it.
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "duban",
    "filename": os.environ.get("DUBAN_QUEUE_FILE") or str(VAR_DIR / "queue.sqlite3"),
    "immediate": False,
    "results": False,
    # periodic: the worker's scheduler starts the daily run (reminders, the escalation ladder; ledger/tasks.py).
    "consumer": {"workers": 1, "worker_type": "thread", "periodic": True},
}

# Which rulebooks the engine reads (one folder per jurisdiction, one sub-folder per version).
DUBAN_RULEBOOKS_DIR = os.environ.get("DUBAN_RULEBOOKS_DIR", str(BASE_DIR / "rulebooks"))
# The jurisdictions' Word templates and documents.yaml (one folder per jurisdiction; duban/reports/docx.py).
DUBAN_DOCUMENT_TEMPLATES_DIR = os.environ.get("DUBAN_DOCUMENT_TEMPLATES_DIR", str(BASE_DIR / "document-templates"))

# Each jurisdiction's 督办设置 (签收, 延期, lights, the escalation ladder) and the working-day calendar
# (duban/ledger/supervision.py).
DUBAN_SUPERVISION_DIR = os.environ.get("DUBAN_SUPERVISION_DIR", str(BASE_DIR / "supervision-settings"))

# The date the site runs on (duban.clock). Unset: the real date. `make demo` sets 2020-12-10, the
# day its story of 2020 has reached; every page then shows a banner saying so.
DUBAN_TODAY = parse_today(os.environ.get("DUBAN_TODAY"))
