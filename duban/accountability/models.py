"""督查事项 and 督查问责决定. Each jurisdiction runs its own (第八条: 各县区政府负责本级政府系统的督查问责)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from duban import clock
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.rules import model as rules


class Matter(models.Model):
    """A supervised matter (督查事项): what the 第九条第（七）项 max rule groups decisions by."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="matters"
    )
    code = models.CharField("事项编号", max_length=40)
    title = models.CharField("事项名称", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="matters"
    )
    source = models.TextField("来源", blank=True, help_text="交办依据，如公报文号、批示、会议纪要")
    task = models.ForeignKey(
        "ledger.Task",
        verbose_name="台账任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
        help_text="由逾期任务立案时所依据的台账任务",
    )
    created = models.DateTimeField("登记时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "督查事项"
        verbose_name_plural = "督查事项"
        ordering = ["jurisdiction", "code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="matter_code_unique_in_jurisdiction")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class DecisionQuerySet(models.QuerySet):
    """Decisions: an update or a bulk create, which send no signal, keeps the tallies (DecisionDayTally,
    DecisionMonthTally; duban.accountability.tallies) itself, so no door leaves them behind; a delete
    sends its signals (the tallies' receivers are connected)."""

    def update(self, **kwargs):
        from duban.accountability import tallies

        if not tallies.TALLIED_FIELDS & set(kwargs):
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        before = tallies.decision_keys(ids)
        count = super().update(**kwargs)
        tallies.decision_tallies_apply(removed=before, added=tallies.decision_keys(ids))
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from duban.accountability import tallies

        created = super().bulk_create(objs, *args, **kwargs)
        tallies.decision_tallies_apply(removed=[], added=[tallies.keys_of(row) for row in created])
        return created


class Decision(FSMModelMixin, models.Model):
    """A 督查问责决定 on one unit (or one of its staff) about one matter, with one or more 第五条 methods."""

    class Subject(models.TextChoices):
        UNIT = rules.SUBJECT_UNIT, "单位"
        PERSON = rules.SUBJECT_PERSON, "个人"

    class Status(models.TextChoices):
        EFFECTIVE = rules.STATUS_EFFECTIVE, rules.STATUS_LABELS[rules.STATUS_EFFECTIVE]
        UNDER_APPEAL = rules.STATUS_UNDER_APPEAL, rules.STATUS_LABELS[rules.STATUS_UNDER_APPEAL]
        EXEMPTED = rules.STATUS_EXEMPTED, rules.STATUS_LABELS[rules.STATUS_EXEMPTED]
        REVOKED = rules.STATUS_REVOKED, rules.STATUS_LABELS[rules.STATUS_REVOKED]

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="decisions"
    )
    matter = models.ForeignKey(Matter, verbose_name="督查事项", on_delete=models.PROTECT, related_name="decisions")
    unit = models.ForeignKey(Unit, verbose_name="被问责单位", on_delete=models.PROTECT, related_name="decisions")
    date = models.DateField("决定日期")
    subject = models.CharField("问责对象", max_length=10, choices=Subject.choices, default=Subject.UNIT)
    person = models.ForeignKey(
        Person,
        verbose_name="被问责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions_as_subject",
        help_text="问责对象为个人时填写",
    )
    situation_number = models.PositiveSmallIntegerField("问责情形（第六条第几项）")
    methods = models.JSONField("问责方式", default=list, help_text="第五条的方式名称，可合并使用")
    # Changed only by the transitions below, so every change of status goes through a service.
    status = FSMField("状态", max_length=20, choices=Status.choices, default=Status.EFFECTIVE, protected=True)
    sanctioned_after_referral = models.BooleanField(
        "移送后已受处分",
        default=False,
        help_text="建议组织部门或纪检监察机关处理后，受到党政纪处分或组织处理（第九条第（六）项）",
    )
    opinion_letter_received = models.DateField(
        "收到督查问责意见书日期", null=True, blank=True, help_text="申诉期自此日起算（第八条第（三）项）"
    )
    exemption_ground = models.PositiveSmallIntegerField("容错免责情形（第七条第几项）", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    # 历史导入: a decision made before duban, entered by decision_import_historical with its source
    # document and the reason; every other decision comes from the last step of the 第八条 chain.
    historical_source = models.CharField("历史导入依据文件", max_length=200, blank=True)
    historical_reason = models.TextField("历史导入理由", blank=True)
    created = models.DateTimeField("登记时间", default=clock.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "问责决定"
        verbose_name_plural = "问责决定"
        ordering = ["jurisdiction", "date", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "date"], name="decision_jurisdiction_date_idx"),
            # the decisions now under appeal (the committee's workbench and 申诉复核), oldest first, by their status;
            # and the decisions in force of a span (督查通报) grouped by method from the index alone — without
            # situation and methods here the planner took this index for those too and read every row (683 ms)
            models.Index(
                fields=["jurisdiction", "status", "date", "situation_number", "methods"],
                name="decision_status_facts_idx",
            ),
            # The year's decisions counted and grouped (月排名's 公开曝光, the charts, 督查通报) from the index alone,
            # not from the rows.
            models.Index(
                fields=["jurisdiction", "date", "status", "situation_number", "methods"], name="decision_year_facts_idx"
            ),
            # A unit's decisions in the engine's order: what the score ledger's sync of one unit reads.
            models.Index(fields=["unit", "date"], name="decision_unit_date_idx"),
        ]
        permissions = [("import_historical_decision", "历史导入问责决定（duban 启用前作出的决定）")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.unit.name} {'、'.join(self.methods)}"

    @property
    def is_historical(self) -> bool:
        """Entered by 历史导入, not decided through the 第八条 chain in duban."""
        return bool(self.historical_source)

    # 第八条第（三）项: the accountable party may appeal; the decision stays in force meanwhile.
    @transition(field=status, source=Status.EFFECTIVE, target=Status.UNDER_APPEAL)
    def appeal(self) -> None:
        pass

    @transition(field=status, source=Status.UNDER_APPEAL, target=Status.EFFECTIVE)
    def uphold(self) -> None:
        pass

    @transition(field=status, source=Status.UNDER_APPEAL, target=Status.REVOKED)
    def revoke(self) -> None:
        pass

    # 第七条: 容错免责 follows the same procedure as accountability, and lifts every consequence.
    @transition(field=status, source=Status.EFFECTIVE, target=Status.EXEMPTED)
    def exempt(self) -> None:
        pass


class DecisionDayTally(models.Model):
    """How many decisions in force (生效, 申诉中) a jurisdiction has on a day with one combination of methods:
    what the 督查通报 counts 通报批评 and 公开曝光 from, a few rows a day however many decisions. Kept by
    duban.accountability.tallies in the transaction of every decision write; never written elsewhere."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    date = models.DateField("决定日期")
    methods_key = models.CharField("问责方式", max_length=500, help_text="JSON 数组")
    n = models.IntegerField("决定数")

    class Meta:
        verbose_name = "每日问责决定计数"
        verbose_name_plural = "每日问责决定计数"
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "date", "methods_key"], name="decision_day_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.methods_key} {self.n}"


class DecisionMonthTally(models.Model):
    """How many decisions, whatever became of them, a jurisdiction has in a month under one 第六条 situation
    with one combination of methods: what the charts count a year's decisions from. Kept like DecisionDayTally."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份", help_text="当月第一日")
    situation_number = models.PositiveSmallIntegerField("问责情形（第六条第几项）")
    methods_key = models.CharField("问责方式", max_length=500, help_text="JSON 数组")
    n = models.IntegerField("决定数")

    class Meta:
        verbose_name = "每月问责决定计数"
        verbose_name_plural = "每月问责决定计数"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "month", "situation_number", "methods_key"], name="decision_month_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 第{self.situation_number}项 {self.methods_key} {self.n}"


class DecisionResponsible(models.Model):
    """A person held accountable by a decision in one of the accountable roles of its rulebook (驻马店's 第三条:
    承办人员, 科室负责人, 分管领导, 单位主要领导): the role is the rulebook's name for it (roles[].name)."""

    decision = models.ForeignKey(
        Decision, verbose_name="问责决定", on_delete=models.CASCADE, related_name="responsibles"
    )
    person = models.ForeignKey(Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField("责任类型", max_length=10)

    class Meta:
        verbose_name = "责任人"
        verbose_name_plural = "责任人"
        ordering = ["decision", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person", "role"], name="responsible_unique_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role}：{self.person.name}"

    @property
    def role_label(self) -> str:
        """The role as the decision's rulebook states it: 承办人员（直接责任）."""
        from duban.accountability.procedure import decision_rulebook

        return decision_rulebook(self.decision).role_label(self.role)


# --- 督查问责案件: the 第八条 procedure that produces a decision ---------------------------------------


class Case(models.Model):
    """A 督查问责案件 (or a 容错免责 request) moving through the rulebook's 第八条 chain.

    The chain is the rulebook's ``procedure.steps`` of the version in force when the case was opened
    (``rulebook_id``); ``step`` is the code of the step the case waits at. The committee's approval
    creates the Decision (or, for an exemption, exempts the decision the case refers to).
    """

    class Kind(models.TextChoices):
        ACCOUNTABILITY = "accountability", "督查问责"
        EXEMPTION = "exemption", "容错免责"

    class State(models.TextChoices):
        OPEN = "open", "办理中"
        DECIDED = "decided", "已决定"
        WITHDRAWN = "withdrawn", "已撤案"

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField("案件编号", max_length=30)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.ACCOUNTABILITY)
    matter = models.ForeignKey(Matter, verbose_name="督查事项", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, verbose_name="被问责单位", on_delete=models.PROTECT, related_name="cases")
    exempted_decision = models.ForeignKey(
        Decision,
        verbose_name="申请免责的决定",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemption_cases",
    )
    exemption_ground = models.PositiveSmallIntegerField("容错免责情形（第七条第几项）", null=True, blank=True)
    investigation = models.TextField("调查核实情况", blank=True)
    situation_number = models.PositiveSmallIntegerField("问责情形（第六条第几项）", null=True, blank=True)
    methods = models.JSONField("拟问责方式", default=list, blank=True)
    subject = models.CharField(
        "问责对象", max_length=10, choices=Decision.Subject.choices, default=Decision.Subject.UNIT
    )
    person = models.ForeignKey(
        Person,
        verbose_name="被问责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_as_subject",
    )
    rectification_due = models.DateField(
        "整改期限", null=True, blank=True, help_text="拟问题通报时填写：限期整改并上报整改结果（第九条第（一）项）"
    )
    rulebook_id = models.CharField("适用规则版本", max_length=80)
    step = models.CharField("当前环节", max_length=40)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    decision = models.ForeignKey(
        Decision, verbose_name="问责决定", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    letter_number = models.CharField("意见书文号", max_length=60, blank=True)
    letter_issued_on = models.DateField("意见书送达日期", null=True, blank=True)
    opened_on = models.DateField("立案日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="立案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("立案时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "督查问责案件"
        verbose_name_plural = "督查问责案件"
        ordering = ["-opened_on", "-id"]
        # The cases list (案件列表): a jurisdiction's cases newest first, all of them, by state, or open at a step.
        indexes = [
            models.Index(fields=["jurisdiction", "opened_on", "id"], name="case_jurisdiction_opened_idx"),
            models.Index(fields=["jurisdiction", "state", "opened_on", "id"], name="case_state_opened_idx"),
            models.Index(fields=["jurisdiction", "state", "step", "opened_on", "id"], name="case_step_opened_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "number"], name="case_number_unique_in_jurisdiction")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit.display_name} {self.matter.title}"


class CaseResponsible(models.Model):
    """A person the case proposes to hold accountable in one of the accountable roles of its rulebook."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="responsibles")
    person = models.ForeignKey(
        Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="case_responsibilities"
    )
    role = models.CharField("责任类型", max_length=10)

    class Meta:
        verbose_name = "案件责任人"
        verbose_name_plural = "案件责任人"
        ordering = ["case", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="case_responsible_unique_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role} {self.person_id}"

    @property
    def role_label(self) -> str:
        """The role as the case's rulebook states it: 承办人员（直接责任）."""
        from duban.accountability.procedure import case_rulebook

        return case_rulebook(self.case).role_label(self.role)


class CaseOpinion(models.Model):
    """One actor's opinion at one step: agree (the case moves on) or return (back one step, with a reason)."""

    class Verdict(models.TextChoices):
        AGREE = "agree", "同意"
        RETURN = "return", "退回"
        WITHDRAW = "withdraw", "撤案"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="opinions")
    step = models.CharField("环节", max_length=40)
    step_name = models.CharField("环节名称", max_length=60)
    verdict = models.CharField("意见", max_length=10, choices=Verdict.choices)
    text = models.TextField("意见内容", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("办理人", max_length=80, blank=True)
    at = models.DateTimeField("时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "环节意见"
        verbose_name_plural = "环节意见"
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.step_name}：{self.get_verdict_display()}"


class Appeal(models.Model):
    """第八条第（三）项: 申诉复核 of a decision, filed by the accountable party and decided by the committee."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待复核"
        UPHELD = "upheld", "维持"
        CHANGED = "changed", "变更"
        REVOKED = "revoked", "撤销"

    decision = models.ForeignKey(Decision, verbose_name="问责决定", on_delete=models.PROTECT, related_name="appeals")
    filed_on = models.DateField("申诉日期")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申诉人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filer_name = models.CharField("申诉人", max_length=80, blank=True)
    reason = models.TextField("申诉理由")
    outcome = models.CharField("复核结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_reason = models.TextField("复核意见", blank=True)
    decided_on = models.DateField("复核日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "申诉复核"
        verbose_name_plural = "申诉复核"
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"申诉（{self.filed_on}，{self.get_outcome_display()}）"


class Referral(models.Model):
    """第八条第（二）项第2、3目: a decision handed to the body that acts on it, and what came back."""

    class Route(models.TextChoices):
        # The routes of 第八条第（二）项 (duban.rules.model.REFERRAL_ROUTES), each in words.
        ORGANIZATION = rules.ROUTE_ORGANIZATION, "移送组织部门处理"
        DISCIPLINE = rules.ROUTE_DISCIPLINE, "移送纪检监察机关处理"
        VERTICAL_LETTER = rules.ROUTE_VERTICAL_LETTER, "向上级主管部门发函"
        COUNTY_OR_DEPARTMENT = rules.ROUTE_COUNTY_OR_DEPARTMENT, "责令所在县区政府或市直部门处理"

    decision = models.ForeignKey(Decision, verbose_name="问责决定", on_delete=models.PROTECT, related_name="referrals")
    route = models.CharField("移送方式", max_length=30, choices=Route.choices)
    person = models.ForeignKey(
        Person, verbose_name="涉及干部", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    target_body = models.CharField("接收机关", max_length=100)
    sent_on = models.DateField("移送（发函）日期")
    due_on = models.DateField("上报处理结果期限", null=True, blank=True)
    result = models.TextField("处理结果", blank=True)
    result_on = models.DateField("结果上报日期", null=True, blank=True)
    sanctioned = models.BooleanField("受到党政纪处分或组织处理", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "移送处理"
        verbose_name_plural = "移送处理"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_route_display()} → {self.target_body}"


class RectificationItem(models.Model):
    """第九条第（一）项: a 问题通报 obliges the unit to rectify by a deadline and report the result."""

    class State(models.TextChoices):
        PENDING = "pending", "待整改"
        REPORTED = "reported", "已上报，待审核"
        ACCEPTED = "accepted", "整改完成"

    decision = models.ForeignKey(
        Decision, verbose_name="问责决定", on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey(Unit, verbose_name="整改单位", on_delete=models.PROTECT, related_name="rectifications")
    requirement = models.TextField("整改要求")
    due_on = models.DateField("整改期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    report = models.TextField("整改结果", blank=True)
    reported_on = models.DateField("上报日期", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("登记时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"整改：{self.requirement[:30]}（{self.get_state_display()}）"
