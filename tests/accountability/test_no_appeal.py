"""A regulation that provides no 申诉复核 (惠农区's, 佳木斯市's) says so: ``appeal: none``. Under such a rulebook a
decision has no appeal window: the party is offered no appeal and one filed anyway is refused in words, the 意见书
and the reminders say nothing of an appeal, and the 问责办法 page says the regulation provides none."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from duban.accountability.rulebooks import rulebooks_recheck
from duban.accountability.selectors import appeal_deadline
from duban.accountability.services import appeal_file, case_letter_issue, decision_letter_received
from duban.rules.loader import RulebookError, load_rulebooks
from tests.accountability.accountability_cast import build_cast
from tests.scoring.score_story import decided

APPEAL = re.compile(r"^appeal:\n(?:  .*\n)+", re.MULTILINE)


def without_appeal(tmp_path: Path) -> Path:
    root = tmp_path / "rulebooks"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rulebooks", root)
    procedure = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    text, replaced = APPEAL.subn("appeal: none\n", procedure.read_text("utf-8"))
    assert replaced == 1
    procedure.write_text(text, "utf-8")
    return root


def test_a_rulebook_may_state_that_it_provides_no_appeal_and_nothing_else(tmp_path):
    version = load_rulebooks("zhumadian", without_appeal(tmp_path)).latest()
    assert not version.has_appeal and version.appeal_window_days is None
    city = load_rulebooks("zhumadian").latest()
    assert city.has_appeal and city.appeal_window_days == 15


def test_an_appeal_section_that_is_neither_its_keys_nor_none_is_refused(tmp_path):
    root = without_appeal(tmp_path)
    procedure = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    procedure.write_text(procedure.read_text("utf-8").replace("appeal: none", "appeal: 无"), "utf-8")
    with pytest.raises(RulebookError) as refused:
        load_rulebooks("zhumadian", root)
    assert refused.value.key == "appeal" and "none" in refused.value.problem


@pytest.fixture
def no_appeal(db, settings, tmp_path):
    settings.DUBAN_RULEBOOKS_DIR = str(without_appeal(tmp_path))
    rulebooks_recheck()
    cast = build_cast()
    case = decided(cast, cast.world.m1, ["工作约谈"], dt.date(2020, 6, 10))
    office = cast.users["office"]
    case_letter_issue(actor=office, case=case, letter_number="驻督问〔2020〕5号", issued_on=dt.date(2020, 6, 11))
    decision = decision_letter_received(actor=office, decision=case.decision, received_on=dt.date(2020, 6, 12))
    yield cast, decision
    rulebooks_recheck()


def test_a_decision_under_no_appeal_has_no_deadline_and_an_appeal_filed_is_refused(no_appeal):
    cast, decision = no_appeal
    assert appeal_deadline(decision) is None
    with pytest.raises(ValidationError) as refused:
        appeal_file(actor=cast.users["party"], decision=decision, reason="不服", filed_on=dt.date(2020, 6, 13))
    assert "未规定申诉复核" in str(refused.value)


def test_the_party_is_offered_no_appeal_and_the_letter_and_the_rulebook_page_say_why(client, no_appeal, settings):
    cast, decision = no_appeal
    settings.DUBAN_TODAY = "2020-06-14"
    client.force_login(cast.users["party"])
    response = client.get("/cases/decisions/mine/")
    assert response.status_code == 200
    mine = response.content.decode()
    assert decision.matter.title in mine
    assert f'action="/cases/decisions/{decision.pk}/appeal/"' not in mine
    assert client.post(f"/cases/decisions/{decision.pk}/appeal/", {"reason": "不服"}).status_code in (302, 403)
    assert not decision.appeals.exists()
    response = client.get(f"/cases/decisions/{decision.pk}/letter/")
    assert response.status_code == 200
    letter = response.content.decode()
    assert "督查问责意见书" in letter and "申诉复核" not in letter
    page = client.get("/cases/rulebook/?date=2020-06-14").content.decode()
    assert "本办法未规定申诉复核" in page


def test_the_word_letter_under_no_appeal_tells_no_appeal_right(client, no_appeal):
    import io

    from docx import Document

    cast, decision = no_appeal
    client.force_login(cast.users["office"])
    response = client.get(f"/documents/decisions/{decision.pk}/opinion-letter/")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "督查问责意见书" in text and "工作约谈" in text
    assert "申诉" not in text
