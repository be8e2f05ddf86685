"""Units come from the jurisdiction's 机构名录: loading it creates, merges aliases, and is idempotent."""

import pytest

from duban.accounts.models import AuditLog, Unit
from duban.accounts.services import jurisdiction_create, unit_create, unit_directory_load
from duban.errors import InputError

DIRECTORY = """\
jurisdiction: 测试市
names: [测试市]
units:
  - name: 测试市卫生健康委员会
    aliases: [市卫健委, 市卫生健康委]
  - name: 测试市教育局
    aliases: [市教育局]
"""


@pytest.fixture
def city(db):
    return jurisdiction_create(actor=None, code="ceshi", name="测试市")


def test_loading_creates_the_units_with_their_aliases(city, tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(DIRECTORY, encoding="utf-8")
    assert unit_directory_load(actor=None, jurisdiction=city, path=path) == (2, 0)
    health = Unit.objects.get(name="测试市卫生健康委员会")
    assert health.aliases == ["市卫健委", "市卫生健康委"]
    assert AuditLog.objects.filter(action="unit_create").count() == 2


def test_a_known_unit_keeps_its_settings_and_gains_the_aliases(city, tmp_path):
    known = unit_create(actor=None, jurisdiction=city, name="市教育局", civilized=Unit.Civilized.CITY)
    path = tmp_path / "units.yaml"
    path.write_text(DIRECTORY, encoding="utf-8")
    assert unit_directory_load(actor=None, jurisdiction=city, path=path) == (1, 1)
    known.refresh_from_db()
    assert known.name == "市教育局" and known.civilized == Unit.Civilized.CITY
    assert "测试市教育局" in known.aliases
    assert unit_directory_load(actor=None, jurisdiction=city, path=path) == (0, 0)  # idempotent


def test_a_broken_directory_is_refused_and_nothing_written(city, tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("units:\n  - name: 测试市财政局\n  - aliases: [没有名称]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"units\[1\]"):
        unit_directory_load(actor=None, jurisdiction=city, path=path)
    assert Unit.objects.count() == 0


def test_the_real_directory_loads(city):
    from duban import DIRECTORIES_DIR

    created, _ = unit_directory_load(actor=None, jurisdiction=city, path=DIRECTORIES_DIR / "zhumadian" / "units.yaml")
    assert created >= 60
    assert Unit.objects.filter(aliases__icontains="市卫健体委").exists() or any(
        "市卫健体委" in u.aliases for u in Unit.objects.all()
    )


def test_directory_flags_keep_collective_names_and_vertical_units_out_of_the_ranking(city, tmp_path):
    from duban.scoring.selectors import monthly_ranking

    path = tmp_path / "units.yaml"
    path.write_text(
        DIRECTORY
        + "  - name: 各县区人民政府\n    ranked: false\n"
        + "  - name: 国家税务总局测试市税务局\n    aliases: [市税务局]\n    vertically_managed: true\n    ranked: false\n",
        encoding="utf-8",
    )
    unit_directory_load(actor=None, jurisdiction=city, path=path)
    tax = Unit.objects.get(name="国家税务总局测试市税务局")
    assert tax.vertically_managed and not tax.ranked
    listed = [row.unit.name for row in monthly_ranking(city, "2020-05")]
    assert sorted(listed) == ["测试市卫生健康委员会", "测试市教育局"]
