"""The files of deploy/ (docs/deploy.md): gunicorn's configuration as gunicorn reads it, the systemd units, the
example environment file. scripts/deploy-check runs them (tests/db/test_deploy_check.py); these are the
parts it cannot vary: the environment's other values, and the units, which need a systemd to run."""

from __future__ import annotations

import os
import re
import runpy
from configparser import ConfigParser
from pathlib import Path

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GUNICORN_ENV = (
    "DUBAN_BIND",
    "DUBAN_WEB_WORKERS",
    "DUBAN_WEB_TIMEOUT",
    "DUBAN_WEB_GRACEFUL_TIMEOUT",
    "DUBAN_WEB_MAX_REQUESTS",
    "DUBAN_TRUSTED_PROXIES",
    "DUBAN_CONTROL_SOCKET",
)


def gunicorn_config(monkeypatch, **env: str) -> Config:
    """deploy/gunicorn.conf.py read with ``env``, every value set through gunicorn's own validators."""
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.settings")  # the file only sets a default
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_defaults(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config.wsgi_app == "duban.web.wsgi:application"
    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers == 2 * len(os.sched_getaffinity(0)) + 1
    assert (config.timeout, config.graceful_timeout) == (60, 30)
    assert (config.max_requests, config.max_requests_jitter) == (1000, 100)
    assert config.forwarded_allow_ips == ["127.0.0.0/8", "::1/128"]
    assert config.accesslog == "-" and "%({x-forwarded-for}i)s" in config.access_log_format
    assert "%(M)sms" in config.access_log_format
    assert config.control_socket_disable is True


def test_gunicorn_reads_the_site_s_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch,
        DUBAN_BIND="10.0.0.11:8000, unix:/run/duban-web/gunicorn.sock",
        DUBAN_WEB_WORKERS="9",
        DUBAN_WEB_TIMEOUT="120",
        DUBAN_WEB_GRACEFUL_TIMEOUT="20",
        DUBAN_WEB_MAX_REQUESTS="0",
        DUBAN_TRUSTED_PROXIES="10.0.0.10, 10.0.1.0/24",
        DUBAN_CONTROL_SOCKET="/run/duban-web/gunicorn.ctl",
    )
    assert config.bind == ["10.0.0.11:8000", "unix:/run/duban-web/gunicorn.sock"]
    assert (config.workers, config.timeout, config.graceful_timeout) == (9, 120, 20)
    assert (config.max_requests, config.max_requests_jitter) == (0, 0)
    assert config.forwarded_allow_ips == ["10.0.0.10/32", "10.0.1.0/24"]
    assert config.control_socket == "/run/duban-web/gunicorn.ctl" and not config.control_socket_disable


@pytest.mark.parametrize(("name", "value"), [("DUBAN_WEB_WORKERS", "four"), ("DUBAN_TRUSTED_PROXIES", "nginx")])
def test_gunicorn_names_a_bad_value(monkeypatch, name, value):
    with pytest.raises(ValueError, match=name):
        gunicorn_config(monkeypatch, **{name: value})


def unit(name: str) -> ConfigParser:
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", ["duban-web.service", "duban-worker.service", "duban-backup.service"])
def test_each_unit_runs_as_duban_on_the_environment_file_with_hardening(name):
    service = unit(name)["Service"]
    assert service["User"] == service["Group"] == "duban"
    assert service["WorkingDirectory"] == "/srv/duban"
    assert service["EnvironmentFile"] == "/etc/duban/duban.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "yes" and service["ProtectHome"] == "yes"
    if name != "duban-backup.service":
        assert service["Restart"] == "on-failure"
        assert service["ReadWritePaths"] == "/srv/duban/var"  # the code read-only, var/ (media, static) writable


def test_the_web_unit_runs_gunicorn_with_the_configuration_and_reloads_gracefully():
    service = unit("duban-web.service")["Service"]
    assert service["ExecStart"] == "/srv/duban/.venv/bin/gunicorn -c deploy/gunicorn.conf.py"
    assert service["Type"] == "notify" and service["KillMode"] == "mixed"
    assert service["ExecReload"] == "/bin/kill -s HUP $MAINPID"


def test_the_worker_unit_is_the_scheduler_and_lets_a_job_finish():
    service = unit("duban-worker.service")["Service"]
    assert service["ExecStart"] == "/srv/duban/.venv/bin/python manage.py run_huey"  # periodic: the daily run
    assert service["ExecStartPre"] == "/srv/duban/.venv/bin/python manage.py create_huey_tables"
    assert service["KillSignal"] == "SIGINT" and service["KillMode"] == "mixed"


def test_the_backup_runs_every_night():
    assert unit("duban-backup.timer")["Timer"]["OnCalendar"] == "*-*-* 02:30"
    assert "duban backup /srv/backups/duban/" in unit("duban-backup.service")["Service"]["ExecStart"]


def read_variables() -> set[str]:
    """Every DUBAN_* variable the code reads."""
    sources = [*sorted((ROOT / "duban").glob("**/*.py")), DEPLOY / "gunicorn.conf.py"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    return set(re.findall(r"""["'](DUBAN_[A-Z_]+)["']""", text))


def test_the_example_environment_names_only_what_the_code_reads_and_the_guide_explains_it():
    example = (DEPLOY / "duban.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?(DUBAN_[A-Z_]+)=", example, re.M))
    assert named and named <= read_variables(), named - read_variables()
    assert re.search(r"^DJANGO_SETTINGS_MODULE=duban\.web\.settings_production$", example, re.M)
    assert re.search(r"^DUBAN_SECRET_KEY=$", example, re.M)  # empty: the site refuses to start until it is set
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert not {name for name in named if f"`{name}`" not in guide}
