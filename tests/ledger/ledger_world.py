"""A small ledger with one login per role (the access matrix, services, selectors): `lw`."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.services import person_create, unit_create
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Reminder, SupervisionOrder, Task
from duban.ledger.services import order_issue, task_confirm
from tests.factories import city_create, county_create, login_create

TODAY = dt.date(2020, 7, 1)  # the day the world is looked at in service and selector tests


def _doc(title: str, tasks: list[dict], doc_no: str = "") -> dict:
    return {
        "source": f"{title}.txt",
        "issue": {"title": title},
        "documents": [
            {
                "doc_no": doc_no,
                "title": title,
                "issuer": "人民政府",
                "date": "2020-04-20",
                "kind": "通知",
                "text": "；".join(t["text"] for t in tasks),
                "tasks": tasks,
                "targets": [],
                "deadlines": [],
            }
        ],
    }


def _task(ref, title, lead, units=(), deadlines=(), targets=()):
    return {
        "ref": ref,
        "title": title,
        "text": f"{title}的原文。",
        "lead_units": list(lead),
        "units": list(units),
        "deadlines": [{"text": d, "date": d} for d in deadlines],
        "targets": list(targets),
    }


@dataclass
class LedgerWorld:
    city: Jurisdiction
    county: Jurisdiction
    unit_a: Unit  # 市卫健体委, supervised by the 二级督查
    unit_b: Unit  # 市教育局
    unit_c: Unit  # 驿城区住建局 (the county's)
    task_a: Task  # confirmed, lead unit A, due 2020-06-15 (overdue), with a 2022 target
    task_b: Task  # confirmed, lead unit B, due 2030-12-31
    draft: Task  # a draft naming unit A
    county_task: Task
    order: SupervisionOrder  # issued to unit A for task_a
    users: dict = field(default_factory=dict)
    reminder: Reminder | None = None

    def user(self, role: str):
        return self.users.get(role)


def _login(username: str, person: Person | None, *, groups=()):
    return login_create(username, person, password="pw-12345678", groups=groups, first_name=username)


def build_ledger_world() -> LedgerWorld:
    city = city_create()
    county = county_create(city)
    erji = person_create(actor=None, jurisdiction=city, name="陈志强", role="二级督查")
    unit_a = unit_create(
        actor=None,
        jurisdiction=city,
        name="市卫生健康体育委员会",
        short_name="市卫健体委",
        aliases=["市卫健委"],
        liaison_supervisor=erji,
    )
    unit_b = unit_create(actor=None, jurisdiction=city, name="市教育局")
    unit_c = unit_create(actor=None, jurisdiction=county, name="驿城区住建局")
    target = {
        "text": "到2022年，居民健康素养水平不低于22%",
        "indicator": "居民健康素养水平",
        "comparator": ">=",
        "unit": "%",
        "year": 2022,
        "value": 22,
    }
    issue_ingest(
        actor=None,
        jurisdiction=city,
        source_name="city.txt",
        content=b"city",
        extraction=_doc(
            "市政府通知",
            [
                _task("一", "实施健康知识普及行动", ["市卫健体委"], deadlines=["2020-06-15"], targets=[target]),
                _task("二", "加强学校体育工作", ["市教育局"], deadlines=["2030-12-31"]),
                _task("三", "开展健康城市建设", ["市卫健体委"], ["市委网信办"]),
            ],
            doc_no="驻政〔2020〕99号",
        ),
    )
    issue_ingest(
        actor=None,
        jurisdiction=county,
        source_name="county.txt",
        content=b"county",
        extraction=_doc("区政府通知", [_task("一", "老旧小区改造", ["驿城区住建局"], deadlines=["2020-12-31"])]),
    )
    task_a, task_b, draft = Task.objects.filter(jurisdiction=city).order_by("position")
    county_task = Task.objects.get(jurisdiction=county)
    for task in (task_a, task_b, county_task):
        task_confirm(actor=None, task=task)
    users = {
        "office_city": _login(
            "office_city", person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
        ),
        "office_county": _login(
            "office_county", person_create(actor=None, jurisdiction=county, name="宋佳", role="督查室工作人员")
        ),
        "liaison_a": _login(
            "liaison_a", person_create(actor=None, jurisdiction=city, unit=unit_a, name="谢芳", role="联络员")
        ),
        "liaison_b": _login(
            "liaison_b", person_create(actor=None, jurisdiction=city, unit=unit_b, name="程浩", role="联络员")
        ),
        "staff_a": _login(
            "staff_a", person_create(actor=None, jurisdiction=city, unit=unit_a, name="何文博", role="承办人员")
        ),
        "erji": _login("erji", erji),
        "fuzong": _login("fuzong", person_create(actor=None, jurisdiction=city, name="马卫东", role="副总督查")),
        "committee": _login(
            "committee", Person.objects.create(jurisdiction=city, name="钱正", role="总督查"), groups=["督查落实委员会"]
        ),
        "admin": get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123"),
    }
    # The committee login belongs to the committee only (person linked without the 总督查 group).
    users["committee"].groups.set(Group.objects.filter(name="督查落实委员会"))
    order = order_issue(
        actor=users["office_city"],
        task=task_a,
        unit=unit_a,
        reason="逾期未完成",
        reply_by=dt.date(2020, 6, 30),
        issued_on=dt.date(2020, 6, 20),
    )
    return LedgerWorld(
        city=city,
        county=county,
        unit_a=unit_a,
        unit_b=unit_b,
        unit_c=unit_c,
        task_a=task_a,
        task_b=task_b,
        draft=draft,
        county_task=county_task,
        order=order,
        users=users,
        reminder=Reminder.objects.get(recipient=users["liaison_a"]),
    )


@pytest.fixture
def lw(db) -> LedgerWorld:
    return build_ledger_world()
