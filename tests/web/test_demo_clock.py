"""`make demo` shows its story of 2020 on its own date (DUBAN_TODAY, demo/story.yaml), as a user sees it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from duban.accountability.models import Case, Decision
from duban.accounts.models import AuditLog
from duban.ledger import selectors
from duban.ledger.models import Task
from duban.web.demo import load_demo, story_day
from tests.once import built_once

STORY_DAY = story_day()

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_of_the_story(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, on the story's date as `make demo` loads it; the tests read it."""

    def load_on_the_story_day():
        with override_settings(DUBAN_TODAY=STORY_DAY):
            return load_demo()

    yield from built_once(django_db_blocker, load_on_the_story_day)


@pytest.fixture
def story(demo_of_the_story, settings):
    settings.DUBAN_TODAY = STORY_DAY


def test_overdue_tasks_are_weeks_or_months_late_not_years(story):
    tasks = Task.objects.filter(jurisdiction__code="zhumadian", status=Task.Status.CONFIRMED)
    late = [s for s in (selectors.task_standing(t) for t in tasks) if s.is_overdue]
    assert late
    assert all(0 < (STORY_DAY - s.deadline).days < 365 for s in late)


def test_cases_and_decisions_carry_the_year_of_the_story(story):
    assert Case.objects.exists()
    assert all(case.number.startswith("2020-") for case in Case.objects.all())
    assert all(case.opened_on <= STORY_DAY for case in Case.objects.all())
    assert all(d.date.year == 2020 for d in Decision.objects.all())
    latest = AuditLog.objects.order_by("-at").first()
    assert timezone.localtime(latest.at).date() == STORY_DAY


def test_the_pages_say_so_and_the_appeal_window_is_counted_from_the_story(story, client):
    client.force_login(get_user_model().objects.get(username="beiwenze"))
    page = client.get("/cases/decisions/mine/").content.decode()
    assert f"演示数据 · 系统日期 {STORY_DAY.year}年{STORY_DAY.month}月{STORY_DAY.day}日" in page
    assert "2026" not in page
