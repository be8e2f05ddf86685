"""Production: PostgreSQL, no debug, secure cookies, HTTPS, behind a reverse proxy (nginx) in front of
gunicorn (deploy/gunicorn.conf.py). `manage.py check --deploy` is clean. docs/deploy.md is the operators' guide.

Required environment: DUBAN_SECRET_KEY (50+ random characters, the same on every application server),
DUBAN_ALLOWED_HOSTS, DATABASE_URL. Everything a server keeps is in the database (sessions, the login
throttle, the worker's queue on PostgreSQL) or under DUBAN_MEDIA_ROOT (attachments), so several application
servers run on one PostgreSQL database when they share that directory.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from duban.web.settings import *  # noqa: F403
from duban.web.settings import DATABASES, HUEY
from duban.web.site_url import parse_count, parse_site_url


def _required(name: str) -> str:
    """An environment variable production cannot run without: missing or empty, start-up stops naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"production settings need the environment variable {name} (see the README)")
    return value


def _switch(name: str, default: bool) -> bool:
    """An on/off environment variable: 1 or 0 (unset: ``default``); anything else stops start-up naming it."""
    value = os.environ.get(name, "").strip()
    if value not in ("", "0", "1"):
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not '{value}'")
    return default if not value else value == "1"


DEBUG = False
SECRET_KEY = _required("DUBAN_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("DUBAN_ALLOWED_HOSTS").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("production settings need the environment variable DUBAN_ALLOWED_HOSTS to name a host")
_required("DATABASE_URL")  # read by duban.web.settings; production never falls back to the SQLite file

# Users reach the site over HTTPS (DUBAN_HTTPS=1, the default): the cookies are sent only over it, plain HTTP
# is redirected (unless the proxy does it: DUBAN_SSL_REDIRECT=0) and browsers are told to keep to HTTPS. An
# intranet served over plain HTTP only sets DUBAN_HTTPS=0: a Secure cookie would never come back over it, and
# no login would hold (`check --deploy` then warns, rightly).
HTTPS = _switch("DUBAN_HTTPS", default=True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SECURE_SSL_REDIRECT = HTTPS and _switch("DUBAN_SSL_REDIRECT", default=True)
# A monitor or load balancer asks gunicorn itself whether it answers, over plain HTTP: not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind the reverse proxy: it terminates HTTPS and says so in X-Forwarded-Proto, and passes the host the
# browser asked for in X-Forwarded-Host (deploy/nginx/duban.conf sets both, overwriting what a client sent;
# gunicorn listens only where the proxy reaches it). The client's address: DUBAN_PROXY_COUNT and
# DUBAN_TRUSTED_PROXIES (duban/web/client_ip.py), which gunicorn's forwarded_allow_ips reads too.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = True
# The origins a form may be posted from (Django's CSRF check of Origin): the site's hosts over its scheme,
# unless DUBAN_CSRF_TRUSTED_ORIGINS lists them (e.g. a proxy on another port: https://duban.example.gov.cn:8443).
_scheme = "https" if HTTPS else "http"
_origins = [o.strip() for o in os.environ.get("DUBAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
for _origin in _origins:
    if not _origin.startswith(("http://", "https://")) or _origin.rstrip("/").count("/") != 2:
        raise ImproperlyConfigured(
            f"DUBAN_CSRF_TRUSTED_ORIGINS must list origins such as https://duban.example.gov.cn, not '{_origin}'"
        )
CSRF_TRUSTED_ORIGINS = _origins or [
    f"{_scheme}://*{host}" if host.startswith(".") else f"{_scheme}://{host}" for host in ALLOWED_HOSTS if host != "*"
]

# PostgreSQL: each gunicorn worker keeps its connection DUBAN_DB_CONN_MAX_AGE seconds (60; 0 closes it after
# each request) and checks it before reusing it, so a restarted database server costs no failed request.
DATABASES = {
    **DATABASES,
    "default": {
        **DATABASES["default"],
        "CONN_MAX_AGE": parse_count("DUBAN_DB_CONN_MAX_AGE", os.environ.get("DUBAN_DB_CONN_MAX_AGE"), default=60),
        "CONN_HEALTH_CHECKS": True,
    },
}

# The worker's queue (huey). On PostgreSQL it is in the site's own database (huey's PostgresStorage: tables
# huey_*, created by `manage.py create_huey_tables`, never at start-up): every application server queues into
# it, and the worker (deploy/systemd/duban-worker.service; one of them runs the daily scheduler) takes each job
# once (FOR UPDATE SKIP LOCKED), woken by LISTEN/NOTIFY. On SQLite it stays the file of the settings: one server.
_POSTGRES_OPTIONS_NOT_LIBPQ = {"isolation_level", "assume_role", "server_side_binding", "pool"}


def postgres_conninfo(database: dict) -> str:
    """The libpq connection string of a Django PostgreSQL database (its name, user, password, host, port and
    libpq OPTIONS such as sslmode), for the queue's own connection."""
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
    }
    params.update(
        {k: str(v) for k, v in (database.get("OPTIONS") or {}).items() if k not in _POSTGRES_OPTIONS_NOT_LIBPQ}
    )
    return make_conninfo("", **{k: v for k, v in params.items() if v})


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    HUEY = {
        **{k: v for k, v in HUEY.items() if k != "filename"},
        "huey_class": "huey.PostgresHuey",
        "dsn": postgres_conninfo(DATABASES["default"]),
        "create_tables": False,
    }

# Static files: `manage.py collectstatic` copies them into STATIC_ROOT (DUBAN_STATIC_ROOT, var/static by
# default) with a hash of their content in the name, and gzip copies; whitenoise serves them from there, the
# hashed names cached for a year (immutable), as nothing else ever has that name. Run it on each upgrade: a
# page naming a file the manifest lacks fails.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

EMAIL_BACKEND = os.environ.get("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The mail server reminders go through (DUBAN_EMAIL_REMINDERS=1): the intranet's relay, port 25 of this
# machine unless said otherwise; STARTTLS with DUBAN_EMAIL_USE_TLS=1.
EMAIL_HOST = os.environ.get("DUBAN_EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = parse_count("DUBAN_EMAIL_PORT", os.environ.get("DUBAN_EMAIL_PORT"), default=25)
EMAIL_HOST_USER = os.environ.get("DUBAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _switch("DUBAN_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30
# The links of e-mailed and posted reminders: the site's first host over HTTPS unless DUBAN_SITE_URL says otherwise.
DUBAN_SITE_URL = parse_site_url(os.environ.get("DUBAN_SITE_URL"), default=f"{_scheme}://{ALLOWED_HOSTS[0]}")
