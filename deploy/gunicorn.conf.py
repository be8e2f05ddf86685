"""gunicorn's configuration for duban: `gunicorn -c deploy/gunicorn.conf.py` from the project's directory
(deploy/systemd/duban-web.service; docs/deploy.md). Everything a site changes comes from the environment
(/etc/duban/duban.env), read when gunicorn starts:

| variable | default | meaning |
|---|---|---|
| DUBAN_BIND | 127.0.0.1:8000 | where gunicorn listens, comma-separated (host:port, unix:/run/duban/web.sock); only where the proxy reaches it |
| DUBAN_WEB_WORKERS | 2 × cores + 1 | worker processes (each holds one database connection) |
| DUBAN_WEB_TIMEOUT | 60 | seconds a request may take before its worker is killed and replaced (nginx: proxy_read_timeout) |
| DUBAN_WEB_GRACEFUL_TIMEOUT | 30 | seconds a worker may finish its request after a restart or a stop |
| DUBAN_WEB_MAX_REQUESTS | 1000 | requests after which a worker is replaced (± a tenth at random, so not all at once); 0: never |
| DUBAN_TRUSTED_PROXIES | 127.0.0.0/8,::1 | the addresses or networks the proxy connects from: only their X-Forwarded-Proto makes a request https (the site reads the same variable for the client's address) |
| DUBAN_CONTROL_SOCKET | (none) | the path of gunicorn's control socket (gunicornc); none when unset |

DJANGO_SETTINGS_MODULE is duban.web.settings_production unless the environment says otherwise.
"""

import ipaddress
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings_production")


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not '{value}'")
    return int(value)


def _networks(name: str, default: str) -> str:
    entries = [e.strip() for e in (os.environ.get(name, "").strip() or default).split(",") if e.strip()]
    try:
        return ",".join(str(ipaddress.ip_network(entry, strict=False)) for entry in entries)
    except ValueError as error:
        raise ValueError(f"{name} must list IP addresses or networks (CIDR): {error}") from None


wsgi_app = "duban.web.wsgi:application"
proc_name = "duban-web"
bind = [b.strip() for b in os.environ.get("DUBAN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

# Synchronous workers: a request is short (上传公文 is read by the worker, not here), and nginx buffers slow
# clients and request bodies (20 MB at most), so a worker is never held by a slow network.
worker_class = "sync"
workers = _number("DUBAN_WEB_WORKERS", 2 * len(os.sched_getaffinity(0)) + 1) or 1
timeout = _number("DUBAN_WEB_TIMEOUT", 60)
graceful_timeout = _number("DUBAN_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # seconds an idle connection from nginx stays open (upstream keepalive)
max_requests = _number("DUBAN_WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn's advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only the proxy may say a request came over https (X-Forwarded-Proto) or set forwarding headers.
forwarded_allow_ips = _networks("DUBAN_TRUSTED_PROXIES", "127.0.0.0/8,::1")

# Logs on stdout and stderr: the journal under systemd (journalctl -u duban-web). The access log names the
# client nginx saw (X-Forwarded-For), the address gunicorn was connected from, and the time taken.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

_control_socket = os.environ.get("DUBAN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True
