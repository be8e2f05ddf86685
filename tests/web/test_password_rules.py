"""Password rules: numeric-only and common passwords are refused (the list ships with Django, read
offline), and the demo's logins must pass them: a weak demo password stops load_demo, naming it."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from duban.accounts.models import Jurisdiction
from duban.web.demo import DEMO_DIR, demo_logins


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("87654321098", "密码只包含数字。"),
        ("password1", "这个密码太常见了。"),
        ("qwertyuiop", "这个密码太常见了。"),
        ("duban20", "密码长度太短。密码必须包含至少 8 个字符。"),
        ("zhoujing2020", "密码跟 用户名 太相似了。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="zhoujing2020"))
    assert message in refused.value.messages


def test_the_common_password_list_is_the_one_django_ships():
    validator = CommonPasswordValidator()
    assert Path(validator.DEFAULT_PASSWORD_LIST_PATH).is_file()
    assert len(validator.passwords) > 10_000 and "iloveyou" in validator.passwords


def test_the_demos_passwords_pass_the_rules():
    for login in demo_logins():
        validate_password(login["password"], User(username=login["username"], first_name=login["label"]))


@pytest.mark.django_db
def test_a_weak_demo_password_stops_the_load_naming_the_login(tmp_path):
    directory = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, directory)
    people = directory / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("password: duban-admin-2020", "password: '12345678'"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", "--dir", str(directory))
    assert str(refused.value) == "demo/people.yaml: 账号 admin 的密码不符合密码规则：这个密码太常见了。密码只包含数字。"
    assert not Jurisdiction.objects.exists()  # nothing written
