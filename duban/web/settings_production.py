"""Production: PostgreSQL, no debug, secure cookies, HTTPS. `manage.py check --deploy` is clean.

Required environment: DUBAN_SECRET_KEY (50+ random characters), DUBAN_ALLOWED_HOSTS, DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from duban.web.settings import *  # noqa: F403
from duban.web.site_url import parse_site_url


def _required(name: str) -> str:
    """An environment variable production cannot run without: missing or empty, start-up stops naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"production settings need the environment variable {name} (see the README)")
    return value


DEBUG = False
SECRET_KEY = _required("DUBAN_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("DUBAN_ALLOWED_HOSTS").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("production settings need the environment variable DUBAN_ALLOWED_HOSTS to name a host")
_required("DATABASE_URL")  # read by duban.web.settings; production never falls back to the SQLite file

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SECURE_SSL_REDIRECT = os.environ.get("DUBAN_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = os.environ.get("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The links of e-mailed and posted reminders: the site's first host over HTTPS unless DUBAN_SITE_URL says otherwise.
DUBAN_SITE_URL = parse_site_url(os.environ.get("DUBAN_SITE_URL"), default=f"https://{ALLOWED_HOSTS[0]}")
