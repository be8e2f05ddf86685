"""The site's frame: login (throttled), the workbench, navigation by role, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from duban.accounts.services import person_create, user_add_role
from tests.factories import login_create

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clerk(city):
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    return login_create("clerk", person, password="clerk-pass-2020")


def test_login_page_is_chinese_and_signs_in_to_the_workbench(client, clerk):
    assert "用户名" in client.get("/login/").content.decode()
    response = client.post("/login/", {"username": "clerk", "password": "clerk-pass-2020"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/workbench/"
    assert "工作台" in page and "周静" in page and "督查室" in page


def test_linking_a_person_gives_the_login_the_group_of_their_function(clerk):
    assert list(clerk.groups.values_list("name", flat=True)) == ["督查室"]
    with pytest.raises(ValidationError, match="未知的角色"):
        user_add_role(actor=None, user=clerk, role="市长")


def test_five_failed_logins_lock_the_account_for_a_while(client, clerk):
    for _ in range(5):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    locked = client.post("/login/", {"username": "clerk", "password": "clerk-pass-2020"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()


def test_workbench_needs_a_login(client):
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_logout_is_a_post(client, clerk):
    client.force_login(clerk)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302


def test_production_settings_pass_the_deploy_check():
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="duban.web.settings_production",
        DUBAN_SECRET_KEY="x" * 20 + "-production-secret-key-for-the-deploy-check-9f8e7d",
        DUBAN_ALLOWED_HOSTS="duban.example.gov.cn",
        DATABASE_URL="postgres://duban@localhost/duban",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a test harness's setting, never production's
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
