"""修改密码: everyone signed in changes their own password (Django's view, in Chinese, the site's rules),
from a link in the header; the change is audited without any password material."""

import json

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import AuditLog
from duban.accounts.services import person_create, unit_create
from tests.factories import login_create

OLD = "clerk-pass-2020"
NEW = "zhoujing-new-2021"


@pytest.fixture
def clerk(city):
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    return login_create("clerk", person, password=OLD)


@pytest.fixture
def signed_in(client, clerk):
    assert client.post("/login/", {"username": "clerk", "password": OLD}).status_code == 302
    return client


def change(client, old=OLD, new=NEW, again=None):
    return client.post("/password/", {"old_password": old, "new_password1": new, "new_password2": again or new})


@pytest.mark.parametrize("who", ["office", "liaison", "admin"])
def test_every_signed_in_user_finds_it_in_the_header(client, city, who):
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    if who == "admin":
        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-admin-2020")
    else:
        role = {"office": "督查室工作人员", "liaison": "联络员"}[who]
        person = person_create(
            actor=None, jurisdiction=city, name=who, role=role, unit=unit if who == "liaison" else None
        )
        user = login_create(who, person, password="pw-header-2020")
    client.force_login(user)
    assert '<a href="/password/">修改密码</a>' in client.get("/workbench/").content.decode()
    page = client.get("/password/")
    assert page.status_code == 200
    assert "原密码" in page.content.decode() and "新密码" in page.content.decode()


def test_anonymous_is_sent_to_the_login(client, city):
    response = client.get("/password/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert "修改密码" not in client.get("/").content.decode()


def test_changing_the_password_keeps_the_session_and_is_audited(signed_in, clerk):
    response = change(signed_in)
    assert response.status_code == 302 and response.url == "/password/done/"
    assert "密码已修改" in signed_in.get("/password/done/").content.decode()
    assert signed_in.get("/workbench/").status_code == 200  # still signed in
    clerk.refresh_from_db()
    assert clerk.check_password(NEW) and not clerk.check_password(OLD)

    row = AuditLog.objects.get(action="password_change")
    assert (row.actor, row.object_type, row.object_id) == (clerk, "auth.User", str(clerk.pk))
    stored = json.dumps([row.before, row.after, row.actor_label, row.object_type, row.object_id], ensure_ascii=False)
    for secret in (OLD, NEW, clerk.password, clerk.password.split("$")[-1]):
        assert secret not in stored


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-old-2020", NEW, None, "你的旧密码不正确。请重新输入。"),
        (OLD, "87654321098", None, "密码只包含数字。"),
        (OLD, "password1", None, "这个密码太常见了。"),
        (OLD, "short7", None, "密码长度太短。密码必须包含至少 8 个字符。"),
        (OLD, NEW, "zhoujing-new-2022", "输入的两个密码不一致。"),
    ],
)
def test_a_refused_change_says_why_in_chinese_and_changes_nothing(signed_in, clerk, old, new, again, message):
    response = change(signed_in, old, new, again)
    assert response.status_code == 200
    assert message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(OLD)
    assert not AuditLog.objects.filter(action="password_change").exists()
