"""The score ledger: every consequence the engine derives from stored decisions, as rows that only grow.

The net sum of the rows for one key is the consequence in force. A revoked or exempted decision,
or a re-ordering under the 第九条第（七）项 max rule, is booked as a reversing row; nothing is ever
edited, so a ranking can be reproduced as it stood on any past date.
"""

from __future__ import annotations

from django.db import models

from duban import clock
from duban.accountability.models import Decision
from duban.accounts.append_only import AppendOnlyModel
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.rules import model as rules


class ConsequenceEntry(AppendOnlyModel):
    class WhoKind(models.TextChoices):
        UNIT = "unit", "单位"
        PERSON = "person", "个人"

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="consequence_entries"
    )
    decision = models.ForeignKey(
        Decision, verbose_name="问责决定", on_delete=models.PROTECT, related_name="consequence_entries"
    )
    who_kind = models.CharField("对象类型", max_length=10, choices=WhoKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="consequence_entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="个人", null=True, blank=True, on_delete=models.PROTECT, related_name="consequence_entries"
    )
    effect = models.CharField(
        "后果", max_length=30, choices=[(effect, rules.EFFECT_LABELS[effect]) for effect in rules.EFFECTS]
    )
    period = models.CharField("期间", max_length=7, blank=True, help_text="YYYY-MM 或 YYYY")
    # Points for monthly/annual deductions; +1 / -1 for the other effects.
    value = models.IntegerField("数值")
    label = models.CharField("标记", max_length=60, blank=True, help_text="非分值后果的内容，如文明单位处理方式")
    basis = models.CharField("依据", max_length=60)
    parameter = models.CharField("规则参数", max_length=120, blank=True)
    rulebook = models.CharField("规则版本", max_length=60, blank=True)
    recorded_at = models.DateTimeField("记账时间", default=clock.now, editable=False, db_index=True)
    reverses = models.ForeignKey(
        "self", verbose_name="冲销", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "积分台账"
        verbose_name_plural = "积分台账"
        ordering = ["recorded_at", "id"]
        indexes = [
            # The rankings (a month's or a year's deductions of every unit), the months with data.
            models.Index(fields=["jurisdiction", "effect", "period"], name="ledger_effect_period_idx"),
            # The year's assessment of people and of units' other consequences, by the decision's year: the
            # database walks the year's decisions and takes each one's rows of that kind of party.
            models.Index(fields=["decision", "who_kind"], name="ledger_decision_party_idx"),
            # One unit's or one person's consequences (a unit's score page, 我的结果).
            models.Index(fields=["unit", "effect", "period"], name="ledger_unit_effect_idx"),
            models.Index(fields=["person", "effect", "period"], name="ledger_person_effect_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(who_kind="unit", unit__isnull=False, person__isnull=True)
                    | models.Q(who_kind="person", person__isnull=False, unit__isnull=True)
                ),
                name="ledger_entry_names_one_party",
            ),
        ]

    def __str__(self) -> str:
        who = self.unit or self.person
        return f"{who} {self.get_effect_display()} {self.period} {self.value:+d}"
