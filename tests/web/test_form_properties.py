"""Property: every form a page posts, given arbitrary values by a user entitled to post it, answers
no 500; a refusal carries a message (a form error or a Chinese message) and writes nothing; what
is accepted holds no invisible-only text and no date outside the years duban accepts.

The forms are a list: every ``Form`` subclass of ``duban/*/forms.py`` must have its page in
``PAGES`` (a new form without one fails ``test_every_form_has_its_page``). The world is the demo on
its story's date, with the few states it lacks added through the services; each example runs in a
savepoint rolled back after it, so every example starts from the same world.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban import clock
from duban.accountability import access as case_access
from duban.accountability import forms as case_forms
from duban.accountability import selectors as case_selectors
from duban.accountability import services as case_services
from duban.accountability.models import Case, Decision, RectificationItem, Referral
from duban.accountability.procedure import case_chain, case_rulebook
from duban.accountability.rulebooks import rulebook_in_force
from duban.accounts.models import AuditLog, Jurisdiction
from duban.inputs import EARLIEST_YEAR, LATEST_YEAR, has_visible_text
from duban.ledger import access as ledger_access
from duban.ledger import forms as ledger_forms
from duban.ledger import selectors as ledger_selectors
from duban.ledger.models import Deadline, ProgressReport, SupervisionOrder, Task
from duban.ledger.workbook_import import staged_workbook, workbook_plan, workbook_stage
from duban.web.demo import load_demo, story_day
from tests.factories import sample_file
from tests.once import built_once
from tests.workbooks import twenty_rows, xlsx

pytestmark = pytest.mark.django_db

STORY_DAY = story_day()
EXAMPLES = 25  # per page: one to three seconds each on the demo world
PACKAGE = Path(__file__).resolve().parents[2] / "duban"


# --- the world: the demo, plus the states a page needs that the story does not reach -------------


@dataclass
class World:
    city: Jurisdiction
    objects: dict[str, Any] = field(default_factory=dict)  # page key → (user, object)


def _users():
    return list(get_user_model().objects.filter(is_active=True).order_by("pk"))


def _first(pairs) -> tuple[Any, Any]:
    found = next(iter(pairs), None)
    assert found is not None, "the world has no such object for the page"
    return found


def _with_user(objects, allowed: Callable[[Any, Any], bool]):
    users = _users()
    return _first((user, obj) for obj in objects for user in users if allowed(user, obj))


def _actor(user_name: str):
    return get_user_model().objects.get(username=user_name)


def build_world() -> World:
    load_demo()
    city = Jurisdiction.objects.get(code="zhumadian")
    office = _actor("duchashi")
    world = World(city=city)
    today = clock.today()
    # A case at the first step of each kind, and one decided without its 意见书 yet.
    matter = case_services.matter_create(actor=office, jurisdiction=city, code="PT-1", title="属性测试事项")
    unit = Decision.objects.filter(jurisdiction=city).first().unit
    first_step = case_services.case_open(actor=office, jurisdiction=city, matter=matter, unit=unit)
    effective = Decision.objects.filter(jurisdiction=city, status=Decision.Status.EFFECTIVE)
    exemption_decision = next(d for d in effective if not Case.objects.filter(exempted_decision=d).exists())
    exemption = case_services.case_open(
        actor=office,
        jurisdiction=city,
        matter=exemption_decision.matter,
        kind=Case.Kind.EXEMPTION,
        exempted_decision=exemption_decision,
    )
    to_decide = Case.objects.get(jurisdiction=city, step="chief_review", state=Case.State.OPEN)
    for step in case_chain(to_decide)[-2:]:
        actor, _ = _with_user([to_decide], case_access.access_case_act)
        to_decide = case_services.case_agree(actor=actor, case=to_decide, step=step.code)
    assert to_decide.state == Case.State.DECIDED and to_decide.letter_issued_on is None
    # A decision to refer (建议纪检监察机关处理), not yet referred.
    referral_method = next(iter(rulebook_in_force(city, today).referral_methods()))
    referrable = case_services.decision_create(
        actor=office,
        jurisdiction=city,
        matter=matter,
        unit=unit,
        date=today,
        situation_number=11,
        methods=[referral_method],
    )
    # 公文审核, 督查台账, 督办单.
    draft = Task.objects.filter(jurisdiction=city, status=Task.Status.DRAFT).first()
    confirmed = [
        t
        for t in Task.objects.filter(jurisdiction=city, status=Task.Status.CONFIRMED).order_by("pk")
        if ledger_selectors.task_standing(t, today).code != "done"
    ]
    overdue = [t for t in confirmed if ledger_selectors.task_standing(t, today).is_overdue]
    reportable = [
        t
        for t in confirmed
        if not ProgressReport.objects.filter(
            task=t, period=ledger_selectors.period_of(t.reporting_cycle, today)
        ).exists()
    ]
    o = world.objects
    o["task_edit"] = (office, draft)
    o["task_reject"] = (office, draft)
    o["assign"] = (office, confirmed[0])
    o["deadline_add"] = (office, confirmed[0])
    o["deadline_move"] = (office, Deadline.objects.filter(task=confirmed[0]).first() or confirmed[0])
    o["task_done"] = (office, confirmed[0])
    o["report"] = _with_user(reportable, ledger_access.access_task_report)
    o["order_issue"] = (office, overdue[0])
    o["order_answer"] = _with_user(
        SupervisionOrder.objects.filter(status=SupervisionOrder.Status.ISSUED, jurisdiction=city),
        ledger_access.access_order_answer,
    )
    o["upload"] = (office, None)
    o["task_open"] = (office, None)
    o["task_instruct"] = (_actor("fuzong"), confirmed[0])
    o["case_new"] = (office, None)
    o["exemption_new"] = (office, None)
    o["decision_import"] = (office, None)  # the demo's clerk holds the 历史导入 permission
    o["case_edit"] = (office, first_step)
    o["case_edit_exemption"] = (office, exemption)
    o["case_withdraw"] = (office, first_step)
    moving = [c for c in Case.objects.filter(jurisdiction=city, state=Case.State.OPEN) if c.step != "investigate"]
    o["case_agree"] = _with_user(moving, case_access.access_case_act)
    o["case_return"] = o["case_agree"]
    o["letter_issue"] = (office, to_decide)
    o["letter_received"] = (office, to_decide)
    o["appeal_file"] = _with_user(
        Decision.objects.filter(status=Decision.Status.EFFECTIVE, opinion_letter_received__isnull=False),
        case_access.access_appeal_file,
    )
    o["appeal_decide"] = _with_user(
        Decision.objects.filter(status=Decision.Status.UNDER_APPEAL), case_access.access_appeal_decide
    )
    o["referral_new"] = (office, referrable)
    o["referral_result"] = _with_user(
        Referral.objects.filter(result_on__isnull=True), case_access.access_referral_result
    )
    o["rectification_new"] = _with_user(
        case_selectors.decisions_needing_rectification(city), case_access.access_rectification_create
    )
    o["rectification_report"] = _with_user(
        RectificationItem.objects.filter(state=RectificationItem.State.PENDING),
        case_access.access_rectification_report,
    )
    o["rectification_review"] = (office, RectificationItem.objects.filter(state="pending").first())
    o["workbook_upload"] = (office, None)
    o["workbook_mapping"] = (office, StagedSheet(city))
    o["workbook_import"] = (office, StagedSheet(city))
    return world


@dataclass
class StagedSheet:
    """A 任务分解表 its uploader previews and imports: staged anew before each example (an import that is
    accepted discards the file, which no rollback brings back)."""

    city: Jurisdiction
    token: str = ""

    def stage(self, user, _obj=None) -> None:
        self.token = workbook_stage(
            actor=user, jurisdiction=self.city, content=xlsx(twenty_rows(bad=False)), file_name="分解表.xlsx"
        )

    def form(self) -> django_forms.BaseForm:
        staged = staged_workbook(self.token)
        plan = workbook_plan(jurisdiction=self.city, content=staged.content(), file_name=staged.file_name)
        return L.WorkbookMappingForm(columns=plan.reading.columns)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def on_the_story_day():
        with override_settings(DUBAN_TODAY=STORY_DAY):
            return build_world()

    yield from built_once(django_db_blocker, on_the_story_day)


# --- the pages and the forms they post ---------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    key: str
    form: type[django_forms.BaseForm]
    url: Callable[[Any], str]
    build: Callable[[Any], django_forms.BaseForm]  # the form as the page builds it (for its choices)
    fixed: Callable[[Any], dict[str, str]] = lambda obj: {}
    prepare: Callable[[Any, Any], None] | None = None  # a write the page needs before it (rolled back too)


def _investigation(case):
    return case_forms.InvestigationForm(case=case, rulebook=case_rulebook(case))


def _exemption_investigation(case):
    return case_forms.ExemptionInvestigationForm(rulebook=case_rulebook(case))


def _appeal_decide(decision):
    return case_forms.AppealDecideForm(rulebook=rulebook_in_force(decision.jurisdiction, decision.date))


def _issue_letter(user, case):
    case_services.case_letter_issue(actor=user, case=case, letter_number="驻督问〔2020〕99号", issued_on=STORY_DAY)


def _report_item(user, item):
    case_services.rectification_report(actor=None, item=item, report="已整改完毕")


L, A = ledger_forms, case_forms
PAGES = [
    Page("task_edit", L.TaskEditForm, lambda t: f"/ledger/review/tasks/{t.pk}/edit/", lambda t: L.TaskEditForm(task=t)),
    Page("task_reject", L.RejectForm, lambda t: f"/ledger/review/tasks/{t.pk}/reject/", lambda t: L.RejectForm()),
    Page("assign", L.AssignForm, lambda t: f"/ledger/tasks/{t.pk}/assign/", lambda t: L.AssignForm(task=t)),
    Page("deadline_add", L.DeadlineForm, lambda t: f"/ledger/tasks/{t.pk}/deadlines/", lambda t: L.DeadlineForm()),
    Page("deadline_move", L.DeadlineMoveForm, lambda d: f"/ledger/deadlines/{d.pk}/", lambda d: L.DeadlineMoveForm()),
    Page("task_done", L.DoneForm, lambda t: f"/ledger/tasks/{t.pk}/done/", lambda t: L.DoneForm()),
    Page(
        "report",
        L.ProgressForm,
        lambda t: f"/ledger/tasks/{t.pk}/report/",
        lambda t: L.ProgressForm(targets=list(t.targets.all())),
    ),
    Page("order_issue", L.OrderIssueForm, lambda t: f"/ledger/tasks/{t.pk}/order/", lambda t: L.OrderIssueForm(task=t)),
    Page("order_answer", L.OrderAnswerForm, lambda o: f"/ledger/orders/{o.pk}/answer/", lambda o: L.OrderAnswerForm()),
    Page(
        "upload",
        L.UploadForm,
        lambda _: "/ledger/upload/",
        lambda _: L.UploadForm(jurisdictions=Jurisdiction.objects.filter(code="zhumadian")),
    ),
    Page("task_open", L.TaskOpenForm, lambda _: "/ledger/tasks/new/", lambda _: L.TaskOpenForm(jurisdiction=_city())),
    Page(
        "task_instruct",
        L.InstructionForm,
        lambda t: f"/ledger/tasks/{t.pk}/instruct/",
        lambda t: L.InstructionForm(),
    ),
    Page("case_new", A.NewCaseForm, lambda _: "/cases/new/", lambda _: A.NewCaseForm(jurisdiction=_city())),
    Page(
        "exemption_new",
        A.ExemptionCaseForm,
        lambda _: "/cases/exemption/new/",
        lambda _: A.ExemptionCaseForm(jurisdiction=_city(), rulebook=rulebook_in_force(_city(), STORY_DAY)),
    ),
    Page(
        "decision_import",
        A.HistoricalDecisionForm,
        lambda _: "/cases/decisions/import/",
        lambda _: A.HistoricalDecisionForm(jurisdiction=_city(), rulebook=rulebook_in_force(_city(), STORY_DAY)),
    ),
    Page("case_edit", A.InvestigationForm, lambda c: f"/cases/{c.pk}/edit/", _investigation),
    Page(
        "case_edit_exemption", A.ExemptionInvestigationForm, lambda c: f"/cases/{c.pk}/edit/", _exemption_investigation
    ),
    Page("case_agree", A.OpinionForm, lambda c: f"/cases/{c.pk}/agree/", lambda c: A.OpinionForm()),
    Page("case_return", A.OpinionForm, lambda c: f"/cases/{c.pk}/return/", lambda c: A.OpinionForm()),
    Page("case_withdraw", A.OpinionForm, lambda c: f"/cases/{c.pk}/withdraw/", lambda c: A.OpinionForm()),
    Page("letter_issue", A.LetterIssueForm, lambda c: f"/cases/{c.pk}/letter/issue/", lambda c: A.LetterIssueForm()),
    Page(
        "letter_received",
        A.LetterReceivedForm,
        lambda c: f"/cases/{c.pk}/letter/received/",
        lambda c: A.LetterReceivedForm(),
        prepare=_issue_letter,
    ),
    Page("appeal_file", A.AppealForm, lambda d: f"/cases/decisions/{d.pk}/appeal/", lambda d: A.AppealForm()),
    Page("appeal_decide", A.AppealDecideForm, lambda d: f"/cases/decisions/{d.pk}/appeal/decide/", _appeal_decide),
    Page(
        "referral_new",
        A.ReferralForm,
        lambda d: f"/cases/decisions/{d.pk}/referral/",
        lambda d: A.ReferralForm(people=case_selectors.referral_people(d)),
    ),
    Page(
        "referral_result",
        A.ReferralResultForm,
        lambda r: f"/cases/referrals/{r.pk}/result/",
        lambda r: A.ReferralResultForm(),
    ),
    Page(
        "rectification_new",
        A.RectificationNewForm,
        lambda d: f"/cases/decisions/{d.pk}/rectification/",
        lambda d: A.RectificationNewForm(),
    ),
    Page(
        "rectification_report",
        A.RectificationReportForm,
        lambda i: f"/cases/rectification/{i.pk}/report/",
        lambda i: A.RectificationReportForm(),
    ),
    Page(
        "rectification_review",
        A.RectificationReviewForm,
        lambda i: f"/cases/rectification/{i.pk}/review/",
        lambda i: A.RectificationReviewForm(),
        prepare=_report_item,
    ),
    Page("workbook_upload", L.WorkbookUploadForm, lambda _: "/ledger/import/", lambda _: L.WorkbookUploadForm()),
    Page(
        "workbook_mapping",
        L.WorkbookMappingForm,
        lambda sheet: f"/ledger/import/{sheet.token}/",
        lambda sheet: sheet.form(),
        prepare=lambda user, sheet: sheet.stage(user),
    ),
    Page(
        "workbook_import",
        L.WorkbookMappingForm,
        lambda sheet: f"/ledger/import/{sheet.token}/import/",
        lambda sheet: sheet.form(),
        prepare=lambda user, sheet: sheet.stage(user),
    ),
]
# Bases that only give their subclasses a label suffix: no page posts them as such.
BASES = {ledger_forms.LedgerForm}


def _city() -> Jurisdiction:
    return Jurisdiction.objects.get(code="zhumadian")


def _forms_of_the_apps() -> set[type]:
    found = set()
    for path in sorted(PACKAGE.glob("*/forms.py")):
        module = importlib.import_module(f"duban.{path.parent.name}.forms")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, django_forms.BaseForm) and value.__module__ == module.__name__:
                found.add(value)
    return found


def test_every_form_has_its_page():
    assert _forms_of_the_apps() - BASES == {page.form for page in PAGES}


# --- arbitrary values ---------------------------------------------------------------------------------

INVISIBLE = st.sampled_from(["", " ", "\u200b", "\ufeff", "\u3000", "\u200b\u3000\ufeff", "\u2060\u200d", "\u3164"])
HUGE = st.sampled_from(["进" * 100_000, "a" * 30_000, "1" * 5_000])
WEIRD_NUMBERS = st.sampled_from(
    ["0", "100", "-1", "101", "1e999", "NaN", "Infinity", "-0", "１２", "²", "١٢", "3.5", "9" * 30, "1e-30", ""]
)
FAR_DATES = st.sampled_from(
    [
        "0001-01-01",
        "9999-12-31",
        "1948-12-31",
        "2101-01-01",
        "2020-02-30",
        "²⁰²⁰-01-01",
        "２０２０-１２-３１",
        "2020-12-31",
    ]
)
TEXT = st.one_of(
    INVISIBLE,
    HUGE,
    WEIRD_NUMBERS,
    st.text(max_size=30),
    st.text(alphabet="进展\u200b\u3000 理由ab²١", max_size=12),
)
DATES = st.one_of(
    FAR_DATES,
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.dates(STORY_DAY - dt.timedelta(days=30), STORY_DAY + dt.timedelta(days=60)).map(dt.date.isoformat),
    st.text(max_size=12),
)
NAMES = st.one_of(
    st.sampled_from(
        ["进展.pdf", "表.xlsx", "图.png", "说明.txt", "旧.doc", "x.exe", "\u200b.pdf", ".pdf", "a" * 300 + ".pdf"]
    ),
    st.text(min_size=1, max_size=20).map(lambda s: s + ".pdf"),
    st.just("进" * 90 + ".docx"),
)
CONTENTS = st.one_of(
    st.sampled_from([".pdf", ".docx", ".xlsx", ".png", ".jpg", ".txt", ".doc", ".xls"]).map(sample_file),
    st.sampled_from([b"%PDF-1.4\n<html></html>", b"PK\x03\x04<html>", b"\x89PNG\r\n\x1a\n", b"", b"\x00" * 64]),
    st.binary(max_size=200),
)
FILES = st.lists(st.tuples(NAMES, CONTENTS), max_size=3)


def _choice_values(field: django_forms.Field) -> list[str]:
    return [str(value) for value, _ in getattr(field, "choices", []) if str(value) != ""][:40]


def _values(field: django_forms.Field) -> st.SearchStrategy:
    """What a user (or a forged POST) may send for ``field``."""
    junk = st.one_of(WEIRD_NUMBERS, st.text(max_size=10), st.sampled_from(["99999999999999999999999", "²", "-5"]))
    if isinstance(field, django_forms.FileField):
        return FILES
    if isinstance(field, django_forms.DateField):
        return DATES
    if isinstance(field, (django_forms.IntegerField, django_forms.DecimalField)):
        return st.one_of(WEIRD_NUMBERS, st.integers(-(10**20), 10**20).map(str), st.text(max_size=8))
    if isinstance(field, (django_forms.ModelMultipleChoiceField, django_forms.MultipleChoiceField)):
        choices = _choice_values(field)
        one = st.one_of(st.sampled_from(choices), junk) if choices else junk
        return st.lists(one, max_size=3)
    if isinstance(field, django_forms.ChoiceField):  # ModelChoiceField too
        choices = _choice_values(field)
        return st.one_of(st.sampled_from(choices), junk, st.just("")) if choices else st.one_of(junk, st.just(""))
    return TEXT


def _post_data(draw, form: django_forms.BaseForm, fixed: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        if name in fixed:
            continue
        if draw(st.integers(0, 9)) == 0:
            continue  # a field left out of the POST altogether
        value = draw(_values(form_field))
        if isinstance(form_field, django_forms.FileField):
            value = [SimpleUploadedFile(file_name, content) for file_name, content in value]
        data[name] = value
    for name, value in fixed.items():
        data[name] = draw(st.one_of(st.just(value), TEXT))
    return data


# --- the property ---------------------------------------------------------------------------------------


class Rollback(Exception):
    pass


_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}")


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _bound_forms(value: Any, depth: int = 0):
    if isinstance(value, django_forms.BaseForm):
        yield value
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value:
            yield from _bound_forms(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _bound_forms(item, depth + 1)


def _form_errors(response) -> list[str]:
    """The errors of the bound forms the page shows again (form errors are shown with their form)."""
    errors: list[str] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            for form in _bound_forms(value):
                if form.is_bound and form.errors:
                    errors.extend(str(e) for e in form.errors.values())
    return errors


def _step_of(obj) -> dict[str, str]:
    return {"step": obj.step} if isinstance(obj, Case) else {}


@pytest.mark.parametrize("page", PAGES, ids=[page.key for page in PAGES])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_arbitrary_values_get_an_answer_and_a_refusal_writes_nothing(world, page, data):
    user, obj = world.objects[page.key]
    with override_settings(DUBAN_TODAY=STORY_DAY), contextlib.suppress(Rollback), transaction.atomic():
        if page.prepare is not None:
            page.prepare(user, obj)
        fixed = _step_of(obj) if page.form is case_forms.OpinionForm else {}
        post = _post_data(data.draw, page.build(obj), fixed)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        audit_before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(page.url(obj), post)
        assert response.status_code < 500, f"{page.key}: {response.status_code} for {post!r}"
        levels = [m.level for m in response.wsgi_request._messages]
        accepted = message_levels.SUCCESS in levels and message_levels.ERROR not in levels
        new_rows = list(AuditLog.objects.filter(pk__gt=audit_before))
        if not accepted:
            said = message_levels.ERROR in levels or _form_errors(response) or response.status_code == 413
            assert said, f"{page.key}: refused without a message for {post!r}"
            assert new_rows == [], f"{page.key}: a refusal wrote {[r.action for r in new_rows]} for {post!r}"
        for row in new_rows:  # what was accepted: no invisible-only text, no date beyond the bound
            for text in _strings(row.after or {}):
                assert text == "" or has_visible_text(text), f"{page.key}: stored {text!r} ({row.action})"
                match = _DATE.match(text)
                if match:
                    assert EARLIEST_YEAR <= int(match.group(1)) <= LATEST_YEAR, f"{page.key}: stored {text}"
        raise Rollback
