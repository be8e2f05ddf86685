"""The ledger's worlds: two units of the city (`city` comes from tests/conftest.py), what
`duban extract` prints for a small issue, and a small ledger with one login per role (`lw`,
ledger_world.py)."""

import pytest
from ledger_world import lw  # noqa: F401

from duban.accounts.services import unit_create


@pytest.fixture
def health_commission(city):
    return unit_create(
        actor=None, jurisdiction=city, name="市卫生健康体育委员会", short_name="市卫健体委", aliases=["市卫健委"]
    )


@pytest.fixture
def education(city):
    return unit_create(actor=None, jurisdiction=city, name="市教育局")


@pytest.fixture
def extraction():
    """What `duban extract` prints for a small issue (extraction.md), plus the documents' text."""
    target = {
        "text": "到2022年和2030年，全市居民健康素养水平分别不低于22%和30%",
        "indicator": "全市居民健康素养水平",
        "comparator": ">=",
        "unit": "%",
    }
    return {
        "source": "small.txt",
        "issue": {
            "title": "驻马店市人民政府公报",
            "number": "第4号（总第96号）",
            "contents": ["关于推进健康驻马店行动的实施意见"],
        },
        "documents": [
            {
                "doc_no": "驻政〔2020〕23号",
                "title": "驻马店市人民政府关于推进健康驻马店行动的实施意见",
                "issuer": "驻马店市人民政府",
                "date": "2020-04-23",
                "kind": "意见",
                "text": "实施健康知识普及行动。向社会公众普及和维护健康的知识与技能。",
                "tasks": [
                    {
                        "ref": "三.(一).1",
                        "title": "实施健康知识普及行动",
                        "lead_units": ["市卫健委"],
                        "units": ["市教育局", "市委网信办"],
                        "targets": [dict(target, year=2022, value=22), dict(target, year=2030, value=30)],
                        "deadlines": [],
                    },
                    {
                        "ref": "三.(一).2",
                        "title": "实施合理膳食行动",
                        "lead_units": ["市卫健体委"],
                        "units": ["市教育局"],
                        "targets": [],
                        "deadlines": [{"text": "年底前", "date": "2020-12-31"}],
                    },
                ],
                "targets": [],
                "deadlines": [],
            },
            {
                "doc_no": None,
                "title": "守牢耕地保护红线——在全市耕地保护工作推进会上的讲话",
                "issuer": "驻马店市人民政府",
                "date": "2020-04-03",
                "kind": "讲话",
                "speaker": "朱是西",
                "text": "汝南县、平舆县务必要在6月15日前确保整改到位。",
                "tasks": [],
                "targets": [],
                "deadlines": [{"text": "6月15日前", "date": "2020-06-15"}],
            },
        ],
    }
