"""The site's own 403, 404 and 500 pages, in Chinese (and the CSRF refusal): 403 and 404 in the site's
frame; 500 standalone, rendered without the database or any context processor (it may be what failed)."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import include, path
from django.views import defaults

from duban.accounts.services import person_create, unit_create
from tests.factories import login_create

FRAME = "督办 · 督查落实管理平台"


def boom(request):
    raise RuntimeError("a view that fails")


# This module is also the URLconf of the 500 tests: the site's own, and a view that raises.
urlpatterns = [path("test-only/boom/", boom), path("", include("duban.web.urls"))]


@pytest.fixture
def liaison(city):
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    person = person_create(actor=None, jurisdiction=city, name="谢芳", role="联络员", unit=unit)
    return login_create("liaison", person, password="pw-errors-2020")


def test_403_a_forbidden_page_is_refused_in_chinese_in_the_frame(client, liaison):
    client.force_login(liaison)
    response = client.get("/ledger/review/")  # 公文审核: the office's
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h2>无权访问</h2>" in page and "无权访问该页面或执行该操作" in page
    assert FRAME in page and '<span class="who">liaison（联络员）</span>' in page  # signed in, in the frame
    assert "督查台账" in page  # the navigation of the signed-in user
    assert response["Content-Security-Policy"]


def test_404_a_missing_object_is_said_in_chinese_in_the_frame(client, liaison):
    client.force_login(liaison)
    response = client.get("/ledger/tasks/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h2>页面不存在</h2>" in page and FRAME in page and "返回工作台" in page
    assert "Not Found" not in page


def test_404_an_unknown_address_for_anyone(client, city):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "<h2>页面不存在</h2>" in response.content.decode()


def test_403_a_form_without_its_csrf_token_is_refused_in_chinese(city):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "liaison", "password": "pw-errors-2020"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in page and FRAME in page and "CSRF verification failed" not in page


@pytest.mark.urls(__name__)
def test_500_a_failing_view_answers_the_chinese_page_without_a_traceback(db, settings, django_assert_num_queries):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-only/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h2>系统出错</h2>" in page and FRAME in page
    assert "RuntimeError" not in page and "Traceback" not in page and "Server Error" not in page
    assert response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
def test_500_the_failure_is_written_to_the_services_log(db):
    handler = next(h for h in logging.getLogger("django.request").handlers if isinstance(h, logging.StreamHandler))
    log = io.StringIO()
    previous, handler.stream = (
        handler.stream,
        log,
    )  # not setStream: it flushes the old one, which pytest may have closed
    try:
        Client(raise_request_exception=False).get("/test-only/boom/")
    finally:
        handler.stream = previous
    assert "Internal Server Error: /test-only/boom/" in log.getvalue()
    assert "RuntimeError: a view that fails" in log.getvalue()


def test_500_renders_with_the_database_out_of_reach(django_db_blocker):
    request = RequestFactory().get("/anything/")
    with django_db_blocker.block():  # any query would raise
        response = defaults.server_error(request)
    assert response.status_code == 500 and "<h2>系统出错</h2>" in response.content.decode()
