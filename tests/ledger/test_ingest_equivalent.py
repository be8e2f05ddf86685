"""A gazette is known by its text, not its bytes: the same issue re-encoded, with CRLF line ends, a
BOM or a trailing newline is already read; a genuinely different issue still ingests."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from duban.accounts.models import AuditLog
from duban.cli import main
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Deadline, Document, GazetteIssue, Target, Task, TaskUnit

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
SEED = PROJECT.parent / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
OTHER = PROJECT / "tests" / "fixtures" / "documents" / "zhoukou-gazette-excerpt.txt"


def variants(content: bytes) -> dict[str, bytes]:
    text = content.decode("utf-8")
    return {
        "trailing newline": content + b"\n",
        "GB18030": text.encode("gb18030"),
        "CRLF": text.replace("\n", "\r\n").encode("utf-8"),
        "BOM": b"\xef\xbb\xbf" + content,
        "all of them": b"\r\n".join(line.encode("gb18030") for line in text.split("\n")) + b"\r\n\r\n",
    }


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (GazetteIssue, Document, Task, TaskUnit, Target, Deadline, AuditLog))


@pytest.fixture
def seed_read(city):
    assert SEED.exists(), f"the shared seed gazette is missing: {SEED}"
    content = SEED.read_bytes()
    first = issue_ingest(actor=None, jurisdiction=city, source_name=SEED.name, content=content)
    assert first.created and first.documents == 12 and first.tasks == 66
    return content, first


def test_the_seed_re_encoded_is_already_read_and_changes_nothing(city, seed_read):
    content, first = seed_read
    before = counts()
    for label, variant in variants(content).items():
        assert variant != content
        again = issue_ingest(actor=None, jurisdiction=city, source_name=f"{label}.txt", content=variant)
        assert not again.created, label
        assert again.issue == first.issue and again.documents == 12 and again.tasks == 66, label
        assert counts() == before, label


def test_the_command_says_it_was_already_read(city, seed_read, tmp_path, capsys):
    content, _ = seed_read
    before = counts()
    path = tmp_path / "公报-GB18030.txt"
    path.write_bytes(variants(content)["all of them"])
    assert main(["ingest", str(path)]) == 0
    out = capsys.readouterr().out
    assert "已读取过" in out and "未作改动" in out
    assert counts() == before


def test_a_genuinely_different_issue_still_ingests(city, seed_read):
    before = counts()
    other = issue_ingest(actor=None, jurisdiction=city, source_name=OTHER.name, content=OTHER.read_bytes())
    assert other.created and other.documents > 0
    assert counts()[0:2] == (before[0] + 1, before[1] + other.documents)


def ingest(city, extraction, content: bytes):
    return issue_ingest(actor=None, jurisdiction=city, source_name="x.txt", content=content, extraction=extraction)


def test_an_issue_reprinting_a_known_document_stores_only_what_is_new(city, extraction):
    first = ingest(city, extraction, b"first")
    later = copy.deepcopy(extraction)
    later["documents"][0]["text"] += "\r\n"  # the same 文号 and date, the same text but for a line end
    later["documents"][1]["text"] = "\ufeff" + later["documents"][1]["text"].replace("，", "， ")  # no 文号: by text
    later["documents"].append(
        {
            "doc_no": "驻政〔2020〕30号",
            "title": "驻马店市人民政府关于加强安全生产工作的通知",
            "date": "2020-05-06",
            "text": "各县区人民政府要落实安全生产责任。",
            "tasks": [{"ref": "一", "title": "落实安全生产责任", "lead_units": ["市应急局"], "units": []}],
        }
    )
    second = ingest(city, later, b"second")
    assert second.created and second.issue != first.issue
    assert (second.documents, second.tasks) == (1, 1)
    assert Document.objects.filter(doc_no="驻政〔2020〕23号").count() == 1
    assert Document.objects.count() == 3


def test_an_issue_whose_every_document_is_known_is_already_read(city, extraction):
    first = ingest(city, extraction, b"first")
    before = counts()
    again = copy.deepcopy(extraction)
    again["documents"][0]["text"] = again["documents"][0]["text"].replace("。", "。\n\n")
    result = ingest(city, again, b"different bytes")
    assert not result.created and result.issue == first.issue
    assert counts() == before
