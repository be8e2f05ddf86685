"""Effects are the rulebook's: each declared with its words, whom it falls on, the period it is booked in and
what it carries (effects[]), and a rule may book only what is declared, on a subject its kind reaches. A county
that adds a consequence of its own — 遂平县 cutting the 绩效工资 of the people held to account — declares it and
names it in a rule: the engine books it, in its period, with its words, and the 问责办法 page lists it; no code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from duban.rules import model
from duban.rules.engine import evaluate
from duban.rules.loader import load_rulebooks

HEAD = """extends: zhumadian/2020-04-22
jurisdiction: {code: suiping, name: 遂平县}
effective_from: {value: 2020-06-01, reference: 第八条}
"""
SALARY_CUT = {
    "code": "salary_cut",
    "label": "扣减本年度绩效工资",
    "subject": "person",
    "period": "year",
    "carries": "none",
    "reference": "第九条第（五）项",
}
TALK_RULE = {
    "id": "talk_salary",
    "rule": "role_effects",
    "methods": ["工作约谈"],
    "roles": {"承办人员": ["salary_cut"]},
    "reference": "第九条第（五）项",
}


def county(tmp_path: Path):
    city = load_rulebooks("zhumadian").latest()
    text = HEAD + yaml.safe_dump(
        {
            "effects": [*city.data["effects"], SALARY_CUT],
            "consequences": {"rules": [*city.data["consequences"]["rules"], TALK_RULE]},
        },
        allow_unicode=True,
    )
    (tmp_path / "suiping").mkdir()
    (tmp_path / "suiping" / "2020-06-01.yaml").write_text(text, encoding="utf-8")
    return load_rulebooks("suiping", tmp_path)


def talk(day: dt.date) -> model.Scenario:
    decision = model.Decision(
        id="d1",
        matter="m1",
        date=day,
        unit="u1",
        subject=model.SUBJECT_UNIT,
        person=None,
        responsible={"承办人员": ("p1",)},
        methods=("工作约谈",),
    )
    return model.Scenario(
        units=(model.Unit(id="u1"),), people=(model.Person(id="p1", unit="u1"),), decisions=(decision,)
    )


def test_a_county_that_declares_a_consequence_of_its_own_has_it_booked_in_its_period_with_its_words(tmp_path):
    result = evaluate(talk(dt.date(2020, 7, 3)), county(tmp_path))
    cut = [c for c in result.consequences if c.effect == "salary_cut"]
    assert [(c.who, c.period, c.note, c.basis, c.parameter) for c in cut] == [
        (
            "p1",
            "2020",
            "承办人员：扣减本年度绩效工资",
            "第九条第（五）项",
            "consequences.rules.talk_salary.roles.承办人员",
        )
    ]
    # the city's own consequences of the same decision are untouched
    city = evaluate(talk(dt.date(2020, 7, 3)), load_rulebooks("zhumadian")).consequences
    others = {(c.who, c.effect, c.period, c.value) for c in result.consequences if c.effect != "salary_cut"}
    assert others == {(c.who, c.effect, c.period, c.value) for c in city}


def test_the_period_an_effect_is_booked_in_is_the_rulebooks(tmp_path):
    city = load_rulebooks("zhumadian").latest()
    assert {code: effect["period"] for code, effect in city.effects.items()}["excellent_barred"] == "year"
    result = evaluate(talk(dt.date(2020, 7, 3)), load_rulebooks("zhumadian"))
    periods = {(c.effect, c.period) for c in result.consequences if c.who == "p1"}
    assert periods == {("bonus", "2020-07"), ("excellent_barred", "2020")}
