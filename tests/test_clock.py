"""The system's clock (duban.clock): the real date, or the date DUBAN_TODAY fixes — and a banner says so."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from duban import PROJECT_DIR, clock
from duban.accounts.models import AuditLog
from duban.accounts.services import jurisdiction_create

STORY_DAY = dt.date(2020, 11, 16)


def test_without_the_setting_today_is_today(settings):
    settings.DUBAN_TODAY = None
    assert clock.today() == timezone.localdate()
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5


def test_the_setting_fixes_today_and_keeps_the_time_of_day(settings):
    settings.DUBAN_TODAY = STORY_DAY
    assert clock.today() == STORY_DAY
    moment = clock.now()
    assert timezone.is_aware(moment)
    assert moment.date() == STORY_DAY
    assert moment.time().replace(microsecond=0) <= timezone.localtime().time()


def test_the_setting_is_read_as_written_in_the_environment(settings):
    settings.DUBAN_TODAY = "2020-11-16"
    assert clock.today() == STORY_DAY


@pytest.mark.parametrize("bad", ["2020-13-01", "16.11.2020", "tomorrow"])
def test_a_bad_setting_is_refused_naming_it(bad):
    with pytest.raises(ImproperlyConfigured, match="DUBAN_TODAY"):
        clock.parse_today(bad)


def test_a_bad_setting_stops_the_site_at_start_up_naming_it():
    env = {**os.environ, "DUBAN_TODAY": "2020-02-30", "DJANGO_SETTINGS_MODULE": "duban.web.settings"}
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "DUBAN_TODAY must be a date YYYY-MM-DD, not '2020-02-30'" in run.stderr


@pytest.mark.django_db
def test_rows_are_stamped_with_the_clock(settings):
    settings.DUBAN_TODAY = STORY_DAY
    jurisdiction_create(actor=None, code="zhumadian", name="驻马店市")
    assert timezone.localtime(AuditLog.objects.get(action="jurisdiction_create").at).date() == STORY_DAY


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/admin/login/"])
def test_every_page_states_the_fixed_date(client, settings, url):
    settings.DUBAN_TODAY = STORY_DAY
    page = client.get(url).content.decode()
    assert "演示数据 · 系统日期 2020年11月16日" in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/admin/login/"])
def test_without_the_setting_no_page_shows_the_banner(client, settings, url):
    settings.DUBAN_TODAY = None
    assert "系统日期" not in client.get(url).content.decode()
