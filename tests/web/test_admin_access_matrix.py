"""The admin's access matrix: every registered model × changelist, add, change (in the login's own
jurisdiction and in the other one) and delete × every role, on the demo (a city and a county).

Decisions, cases, appeals, the score ledger and the ledger are read-only for everyone; a clerk sees
and chooses only their own jurisdiction's rows; only the system administrator manages logins, role
groups and the whole audit log. Each cell states the answer: 200, 403, or 302 (the admin's login for
those who may not enter it; the admin index — "does not exist" — for a row outside the clerk's
jurisdiction)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from duban.accounts.models import AuditLog, Jurisdiction, Person
from duban.accounts.services import person_create, person_link_user, user_create, user_grant
from duban.ledger.channels import channel_create

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "erji", "lianluoyuan", "duchashi", "county_clerk", "admin"]
CLERKS = {"duchashi": "zhumadian", "county_clerk": "yicheng"}  # staff of a 督查室, with the demo's permissions

# What a 督查室 clerk may do in the admin (demo/people.yaml's office permissions, scoped to their jurisdiction).
CLERK_VIEW = {
    "accounts.jurisdiction",
    "accounts.unit",
    "accounts.person",
    "accountability.matter",
    "accountability.decision",
    "accountability.case",
    "ledger.task",
    "ledger.notificationchannel",
    "ledger.delivery",
    "scoring.consequenceentry",
}
CLERK_ADD = {"accounts.person", "accountability.matter", "ledger.notificationchannel"}
CLERK_CHANGE = {"accounts.unit", "accounts.person", "accountability.matter", "ledger.notificationchannel"}
# The system administrator: everything is visible; these may be added or changed (through services);
# nothing of duban is deleted here. django-axes's lockout records are the administrator's to clear.
ADMIN_ADD = {
    "accounts.jurisdiction",
    "accounts.unit",
    "accounts.person",
    "accountability.matter",
    "auth.user",
    "ledger.notificationchannel",
}
ADMIN_CHANGE = ADMIN_ADD
THIRD_PARTY = {"axes"}

REGISTERED = sorted(
    (f"{model._meta.app_label}.{model._meta.model_name}", model, model_admin)
    for model, model_admin in admin.site._registry.items()
)
LABELS = [label for label, _, _ in REGISTERED]


@pytest.fixture(scope="module")
def logins(demo, django_db_blocker):
    """The demo's logins, and a county clerk with the same admin permissions as the city's."""
    with django_db_blocker.unblock():
        User = get_user_model()
        county = Jurisdiction.objects.get(code="yicheng")
        clerk = user_create(actor=None, username="county_clerk", password="county-clerk-2020", is_staff=True)
        person = person_create(actor=None, jurisdiction=county, name="区督查室干事", role="督查室工作人员")
        person_link_user(actor=None, person=person, user=clerk)
        city_clerk = User.objects.get(username="duchashi")
        permissions = [f"{p.content_type.app_label}.{p.codename}" for p in city_clerk.user_permissions.all()]
        user_grant(actor=None, user=clerk, permissions=permissions)
        for jurisdiction in Jurisdiction.objects.filter(code__in=["zhumadian", "yicheng"]):
            # A group robot of each jurisdiction, so that the change pages have a row of each.
            channel_create(
                actor=None,
                jurisdiction=jurisdiction,
                kind="wecom",
                name=f"{jurisdiction.name}督办群",
                url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix",
                active=False,
            )
        return {name: User.objects.get(username=name) for name in ROLES if name != "anonymous"}


def sample(model, model_admin, code: str | None):
    """A row of ``model`` in jurisdiction ``code`` (None: any row), following the admin's own path."""
    rows = model._default_manager.all()
    path = getattr(model_admin, "jurisdiction_path", None)
    if code is not None and path is not None:
        lookup = f"{path}__code" if path != "pk" else "code"
        rows = rows.filter(**{lookup: code})
    return rows.order_by("pk").first()


def url(info: tuple[str, str], page: str) -> str:
    return f"admin:{info[0]}_{info[1]}_{page}"


def client_for(client, logins, role):
    if role != "anonymous":
        client.force_login(logins[role])
    return client


def expected(role: str, label: str, page: str, own: bool) -> int:
    app = label.split(".")[0]
    if role in ("anonymous", "erji", "lianluoyuan"):
        return 302  # not staff: the admin's login
    if role == "admin":
        if page == "add":
            return 200 if label in ADMIN_ADD else 403
        if page == "delete":
            return 200 if app in THIRD_PARTY else 403
        return 200
    scoped = label in CLERK_VIEW
    if page == "changelist":
        return 200 if scoped else 403
    if page == "add":
        return 200 if label in CLERK_ADD else 403
    if page == "change":
        if not scoped:
            return 403
        return 200 if own else 302  # another jurisdiction's row: "does not exist" (back to the index)
    return 403  # delete


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, logins, role, label):
    model, model_admin = next((m, a) for name, m, a in REGISTERED if name == label)
    info = (model._meta.app_label, model._meta.model_name)
    client = client_for(client, logins, role)
    home = CLERKS.get(role, "zhumadian")
    other = "yicheng" if home == "zhumadian" else "zhumadian"
    got = {"changelist": client.get(reverse(url(info, "changelist"))).status_code}
    got["add"] = client.get(reverse(url(info, "add"))).status_code
    want = {page: expected(role, label, page, True) for page in got}
    for own, code in ((True, home), (False, other)):
        row = sample(model, model_admin, code if hasattr(model_admin, "jurisdiction_path") else None)
        if row is None or (not own and not hasattr(model_admin, "jurisdiction_path")):
            continue
        key = "change" if own else "change (other jurisdiction)"
        got[key] = client.get(reverse(url(info, "change"), args=[row.pk])).status_code
        want[key] = expected(role, label, "change", own or role == "admin")
        if own:
            got["delete"] = client.get(reverse(url(info, "delete"), args=[row.pk])).status_code
            want["delete"] = expected(role, label, "delete", True)
    assert got == want, f"{role} × {label}"


@pytest.mark.parametrize("role", ["duchashi", "admin"])
def test_only_changeable_rows_offer_save(client, logins, role):
    client = client_for(client, logins, role)
    changeable = CLERK_CHANGE if role != "admin" else ADMIN_CHANGE
    for label, model, model_admin in REGISTERED:
        if label.split(".")[0] in THIRD_PARTY:
            continue
        row = sample(model, model_admin, "zhumadian" if hasattr(model_admin, "jurisdiction_path") else None)
        info = (model._meta.app_label, model._meta.model_name)
        if row is None or expected(role, label, "change", True) != 200:
            continue
        page = client.get(reverse(url(info, "change"), args=[row.pk])).content.decode()
        assert ('name="_save"' in page) == (label in changeable), label


def test_a_clerk_cannot_post_into_another_jurisdiction(client, logins):
    """The city's clerk cannot edit the county's units or people, nor add a person to the county."""
    county = Jurisdiction.objects.get(code="yicheng")
    unit = county.units.order_by("pk").first()
    person = Person.objects.filter(jurisdiction=county).order_by("pk").first()
    client.force_login(logins["duchashi"])
    before = AuditLog.objects.count()
    client.post(reverse("admin:accounts_unit_change", args=[unit.pk]), {"name": "改名", "civilized": "none"})
    client.post(reverse("admin:accounts_person_change", args=[person.pk]), {"name": "改名", "role": person.role})
    response = client.post(
        reverse("admin:accounts_person_add"),
        {"jurisdiction": county.pk, "name": "冒名", "role": "督查室工作人员", "cadre_level": "科级及以下"},
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert AuditLog.objects.count() == before
    unit.refresh_from_db(), person.refresh_from_db()
    assert unit.name != "改名" and person.name != "改名"
    assert not Person.objects.filter(name="冒名").exists()


def test_a_clerk_chooses_supervisors_and_logins_only_as_the_jurisdiction_allows(client, logins):
    """A county unit cannot be given a city 二级督查 (its cases would wait for someone who cannot act), and
    only the administrator links a person to a login (that decides whom the login acts for)."""
    city_erji = Person.objects.get(jurisdiction__code="zhumadian", name="陈志强")
    county_unit = Jurisdiction.objects.get(code="yicheng").units.order_by("pk").first()
    client.force_login(logins["county_clerk"])
    page = client.get(reverse("admin:accounts_unit_change", args=[county_unit.pk])).content.decode()
    assert page.count("陈志强") == 0
    person = Person.objects.filter(jurisdiction__code="yicheng", user__isnull=True).order_by("pk").first()
    form = client.get(reverse("admin:accounts_person_change", args=[person.pk])).content.decode()
    assert 'name="user"' not in form
    client.force_login(logins["admin"])
    form = client.get(reverse("admin:accounts_person_change", args=[person.pk])).content.decode()
    assert 'name="user"' in form
    assert city_erji.jurisdiction.code == "zhumadian"


def test_even_with_the_django_permissions_no_decision_is_made_or_moved_in_the_admin(client, logins):
    """The old back door: a clerk holding add/change/delete_decision still cannot create, exempt or revoke."""
    from duban.accountability.models import Decision
    from duban.scoring.models import ConsequenceEntry

    clerk = logins["duchashi"]
    user_grant(
        actor=None,
        user=clerk,
        permissions=["accountability.add_decision", "accountability.change_decision", "accountability.delete_decision"],
    )
    clerk = get_user_model().objects.get(pk=clerk.pk)  # fresh permission cache
    client.force_login(clerk)
    decision = Decision.objects.filter(jurisdiction__code="zhumadian", status="effective").order_by("pk").first()
    before = (Decision.objects.count(), ConsequenceEntry.objects.count(), decision.status)
    assert client.get(reverse("admin:accountability_decision_add")).status_code == 403
    change = reverse("admin:accountability_decision_change", args=[decision.pk])
    for data in ({"transition": "exempt", "exemption_ground_number": "4"}, {"transition": "revoke"}):
        assert client.post(change, data).status_code == 403
    delete = reverse("admin:accountability_decision_delete", args=[decision.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    decision.refresh_from_db()
    assert (Decision.objects.count(), ConsequenceEntry.objects.count(), decision.status) == before


def test_changing_a_logins_standing_groups_or_password_is_audited(client, logins):
    """Only the administrator changes logins; each change writes an audit row (who, before, after)."""
    from django.contrib.auth.models import Group

    user = logins["lianluoyuan"]
    client.force_login(logins["admin"])
    url = reverse("admin:auth_user_change", args=[user.pk])
    office = Group.objects.get(name="督查室")
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [office.pk, *user.groups.values_list("pk", flat=True)],
        "date_joined_0": "2020-05-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2020-05-01",
        "initial-date_joined_1": "08:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    standing = AuditLog.objects.get(action="user_update", object_id=str(user.pk))
    assert standing.actor == logins["admin"]
    assert (standing.before["is_superuser"], standing.after["is_superuser"]) == (False, True)
    roles = AuditLog.objects.get(action="user_set_groups", object_id=str(user.pk))
    assert "督查室" not in roles.before["roles"] and "督查室" in roles.after["roles"]
    password_url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(password_url, {"password1": "Xq7-duban-strong", "password2": "Xq7-duban-strong"})
    assert response.status_code == 302
    row = AuditLog.objects.get(action="user_set_password", object_id=str(user.pk))
    assert "Xq7" not in str(row.before) + str(row.after)


LIFE = ("ledger.extensionrequest", "ledger.closurerequest", "ledger.deadlinechange")


def test_the_tasks_life_is_read_in_the_admin_and_written_only_by_the_ledgers_pages(client, logins):
    """延期, 办结 and the deadline's history are in the matrix above (the administrator reads them, a clerk
    without the permission is refused); even the administrator's POST changes nothing."""
    from duban.ledger.models import ClosureRequest

    assert set(LIFE) <= set(LABELS)
    client.force_login(logins["admin"])
    for label in LIFE:
        model, model_admin = next((m, a) for name, m, a in REGISTERED if name == label)
        info = (model._meta.app_label, model._meta.model_name)
        row = sample(model, model_admin, "zhumadian")
        assert row is not None, label  # the demo has rows of each
        page = client.get(reverse(url(info, "changelist"))).content.decode()
        assert reverse(url(info, "change"), args=[row.pk]) in page, label
    request = ClosureRequest.objects.filter(status="pending").order_by("pk").first()
    change = reverse("admin:ledger_closurerequest_change", args=[request.pk])
    page = client.get(change).content.decode()
    assert "佐证材料" in page or "办结佐证材料" in page
    assert client.post(change, {"status": "accepted", "decision_note": "后台改"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending" and request.decision_note == ""
