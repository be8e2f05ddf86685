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
    # The effect's code as the rulebook version that booked it declares it (effects[].code): its words are the
    # version's (scoring.selectors.effect_words), not a list of this model's.
    effect = models.CharField("后果", max_length=30)
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
        return f"{who} {self.effect} {self.period} {self.value:+d}"


class ConsequenceTally(models.Model):
    """The ledger's balance per party × effect × period × decision year, kept by the ledger's one door
    (scoring.services) in the transaction that appends the rows, so a page reads a few rows per party
    instead of summing the ledger (a province's assessment: every row of a year).

    ``net`` is the sum of the rows' values (points, or +1/−1); ``keys`` how many of the ledger's keys
    (one decision's consequence of this kind with its label and basis) are in force, i.e. what the
    pages count (a person's 约谈, a unit's 公开曝光). The ledger is the record; this is its sum, which
    ``tally_rebuild`` recomputes from the ledger and ``tally_differences`` checks against it. Reads
    "as of" a past date go to the ledger, not here.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="consequence_tallies"
    )
    year = models.PositiveSmallIntegerField("决定年度")
    who_kind = models.CharField("对象类型", max_length=10, choices=ConsequenceEntry.WhoKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE, related_name="consequence_tallies"
    )
    person = models.ForeignKey(
        Person, verbose_name="个人", null=True, blank=True, on_delete=models.CASCADE, related_name="consequence_tallies"
    )
    effect = models.CharField("后果", max_length=30)
    period = models.CharField("期间", max_length=7, blank=True)
    net = models.IntegerField("净值", default=0)
    keys = models.IntegerField("有效条数", default=0)

    class Meta:
        verbose_name = "积分汇总"
        verbose_name_plural = "积分汇总"
        indexes = [
            # A month's ranking, a year's assessment: each ranked unit's balance of one effect and period.
            models.Index(fields=["unit", "effect", "period"], name="tally_unit_effect_idx"),
            # A year's people (个人结果运用), and a year's unit consequences that have no period of their own.
            models.Index(fields=["jurisdiction", "who_kind", "year", "effect"], name="tally_party_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "unit", "effect", "period"],
                condition=models.Q(who_kind="unit"),
                name="tally_one_row_per_unit_key",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "person", "effect", "period"],
                condition=models.Q(who_kind="person"),
                name="tally_one_row_per_person_key",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(who_kind="unit", unit__isnull=False, person__isnull=True)
                    | models.Q(who_kind="person", person__isnull=False, unit__isnull=True)
                ),
                name="tally_names_one_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.person} {self.effect} {self.period or self.year} {self.net:+d} ({self.keys})"


class PublicExposure(models.Model):
    """公开曝光 in force, one row per decision that exposes its unit: directly (a method the rulebook codes
    public_exposure, 第五条第（四）项 in the city's) or by escalation (the ledger's public_exposure rows net of
    reversals, 第九条第（三）项). Kept by the ledger's sync from the decisions of the units it re-derives, in
    its transaction, so the public page and the ranking's count read these rows instead of testing every
    decision's methods; ``exposures_from_decisions`` says what they should be."""

    decision = models.OneToOneField(
        Decision, verbose_name="问责决定", primary_key=True, on_delete=models.CASCADE, related_name="public_exposure"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="public_exposures"
    )
    date = models.DateField("决定日期")  # the decision's, kept with it (the year's list, newest first)
    by_escalation = models.BooleanField("因累计升级", default=False)
    # the decision's methods, kept with it (accountability.tallies.methods_key): what ExposureDayTally counts by
    methods_key = models.CharField("问责方式", max_length=500, default="[]", editable=False)

    class Meta:
        verbose_name = "公开曝光"
        verbose_name_plural = "公开曝光"
        indexes = [models.Index(fields=["jurisdiction", "date"], name="exposure_jurisdiction_date_idx")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.date}"


class ExposureDayTally(models.Model):
    """How many decisions of a jurisdiction dated on a day with one combination of methods the register of
    公开曝光 (PublicExposure) holds: what the 督查通报 counts 公开曝光 from, a few rows a day however many decisions.
    Kept by duban.scoring.tallies with the register, in its transaction; never written elsewhere."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    date = models.DateField("决定日期")
    methods_key = models.CharField("问责方式", max_length=500, help_text="JSON 数组")
    n = models.IntegerField("公开曝光数")

    class Meta:
        verbose_name = "每日公开曝光计数"
        verbose_name_plural = "每日公开曝光计数"
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "date", "methods_key"], name="exposure_day_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.methods_key} {self.n}"
