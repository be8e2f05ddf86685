"""我的问责结果 (issue 10, part 4): a person reads their own consequences — the months of 平时考核奖 withheld, the
years barred from 优秀, each with its decision and article — the decisions that name them with their appeal
right and its deadline (15 days from receipt of the 意见书, as the rulebook in force says), and the referrals
that concern them. Nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html as lxml_html

from duban.accountability.services import case_letter_issue, decision_letter_received, referral_create
from tests.accountability.accountability_cast import build_cast
from tests.factories import decide
from tests.scoring.score_story import june_story


@pytest.fixture
def cast(db):
    return build_cast()


def _text(response) -> str:
    assert response.status_code == 200
    main = lxml_html.fromstring(response.content.decode()).xpath("//main")[0]
    return " ".join(" ".join(main.itertext()).split())


def test_a_person_reads_their_months_their_bar_from_excellent_and_the_article_of_each(client, cast):
    june = june_story(cast)
    client.force_login(cast.users["party"])  # 承办人丙, 承办人员 of 市城管局, named on every June decision
    text = _text(client.get("/scores/mine/"))
    # 工作约谈 (第九条第（五）项): the June bonus and the year's 优秀; the revoked 通报批评 took nothing that stays.
    assert "2020年 扣除平时考核奖 2020-06（1 个月） 年度考核等次 不得评定为优秀等次" in text
    assert "第九条第（五）项" in text and "扣除承办人员、科室（县直责任部门）负责人、分管领导当月平时考核奖" in text
    assert june.cases[june.talked_to.pk].number in text
    # The decisions naming them, each with the case number; the revoked one as such.
    for decision in (june.criticised, june.talked_to, june.written, june.revoked):
        assert decision.matter.title in text
    assert "已撤销" in text


def test_the_appeal_right_and_its_deadline_15_days_from_receipt(client, cast, settings):
    june = june_story(cast)
    office = cast.users["office"]
    case = june.cases[june.talked_to.pk]
    case_letter_issue(actor=office, case=case, letter_number="驻督问〔2020〕5号", issued_on=dt.date(2020, 6, 11))
    decision_letter_received(actor=office, decision=june.talked_to, received_on=dt.date(2020, 6, 12))
    settings.DUBAN_TODAY = "2020-06-20"
    client.force_login(cast.users["party"])
    response = client.get("/scores/mine/")
    text = _text(response)
    assert "15日内" in text and "（第八条第（三）项）" in text
    assert "2020-06-27 还剩 7 日" in text  # received 2020-06-12 + 15 days
    assert f'action="/cases/decisions/{june.talked_to.pk}/appeal/"' in response.content.decode()
    settings.DUBAN_TODAY = "2020-06-28"
    response = client.get("/scores/mine/")
    assert "2020-06-27 已届满" in _text(response)
    assert f'action="/cases/decisions/{june.talked_to.pk}/appeal/"' not in response.content.decode()


def test_a_referral_that_concerns_the_person_is_on_their_page(client, cast):
    w = cast.world
    decision = decide(w, "2020-06-20", ["建议纪检监察机关处理"], matter=w.m2, situation_number=4)
    referral_create(
        actor=None, decision=decision, target_body="市纪委监委", sent_on=dt.date(2020, 6, 22), person=w.handler
    )
    client.force_login(cast.users["party"])
    text = _text(client.get("/scores/mine/"))
    assert "移送处理" in text and "2020-06-22" in text and "市纪委监委" in text and "待上报" in text


def test_a_person_reads_only_their_own(client, cast):
    june_story(cast)
    client.force_login(cast.users["other_staff"])  # 承办人寅 of 市教育局: named on nothing
    text = _text(client.get("/scores/mine/"))
    assert "您没有生效的问责结果" in text and "没有涉及您的问责决定" in text
    assert "承办人丙" not in text and cast.world.m1.title not in text


def test_a_consequence_the_rulebook_declares_of_its_own_is_booked_and_read_in_its_words(
    client, cast, settings, tmp_path
):
    """The city adds 扣减本年度绩效工资 to 工作约谈 by its rulebook alone (an effect declared, a rule naming it):
    the score ledger books it on the 承办人员, and their page reads it in the rulebook's words."""
    import shutil
    from pathlib import Path

    from duban.accountability.rulebooks import rulebooks_recheck
    from duban.scoring.selectors import person_consequence_lines

    root = tmp_path / "rulebooks"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rulebooks", root)
    version = root / "zhumadian" / "2020-04-22"
    effects = version / "effects.yaml"
    effects.write_text(
        effects.read_text("utf-8")
        + "  - {code: salary_cut, label: 扣减本年度绩效工资, subject: person, period: year, carries: none,"
        " reference: 第九条第（五）项}\n",
        "utf-8",
    )
    consequences = version / "consequences.yaml"
    rule = (
        "    - {id: talk_salary, rule: role_effects, methods: [工作约谈], roles: {承办人员: [salary_cut]},"
        " reference: 第九条第（五）项}\n"
    )
    consequences.write_text(consequences.read_text("utf-8").replace("  rules:\n", "  rules:\n" + rule, 1), "utf-8")
    settings.DUBAN_RULEBOOKS_DIR = str(root)
    rulebooks_recheck()
    june_story(cast)
    party = cast.users["party"]
    lines = [line for line in person_consequence_lines(party.person) if line.effect == "salary_cut"]
    assert [(line.period, line.effect_label, line.basis, line.in_force) for line in lines] == [
        ("2020", "扣减本年度绩效工资", "第九条第（五）项", True)
    ]
    client.force_login(party)
    assert "扣减本年度绩效工资" in _text(client.get("/scores/mine/"))
