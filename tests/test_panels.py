"""duban.panels: later stages show panels on earlier stages' pages without being imported by them."""

from __future__ import annotations

import pytest

from duban import panels


def templates(slot: str) -> list[str]:
    return [panel.template for panel in panels.registered(slot)]


def test_each_app_fills_its_slots_in_pipeline_order():
    assert templates(panels.WORKBENCH) == ["ledger/panel.html", "accountability/panel.html", "scoring/panel.html"]
    assert templates(panels.TASK_ACTIONS) == ["ledger/_task_life_actions.html", "accountability/_task_actions.html"]
    assert templates(panels.TASK_SECTIONS) == [
        "ledger/_task_life.html",
        "accountability/_task_cases.html",
        "scoring/_task_points.html",
    ]


def test_registering_again_replaces_instead_of_doubling():
    before = templates(panels.WORKBENCH)
    panel = panels.registered(panels.WORKBENCH)[0]
    panels.register(panels.WORKBENCH, template=panel.template, build=panel.build, order=panel.order)
    assert templates(panels.WORKBENCH) == before


def test_an_unknown_slot_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown panel slot 'sidebar'.*workbench"):
        panels.register("sidebar", template="x.html", build=lambda request: {}, order=1)


def test_a_panel_with_nothing_to_show_is_left_out(monkeypatch):
    monkeypatch.setitem(panels._REGISTRY, panels.TASK_ACTIONS, [])
    panels.register(panels.TASK_ACTIONS, template="a.html", build=lambda request, **kw: None, order=1)
    panels.register(panels.TASK_ACTIONS, template="b.html", build=lambda request, **kw: {"n": kw["task"]}, order=2)
    assert panels.build(panels.TASK_ACTIONS, object(), task=7) == [{"template": "b.html", "n": 7}]
