"""督查事项 and 督查问责决定. Each jurisdiction runs its own (第八条: 各县区政府负责本级政府系统的督查问责)."""

from __future__ import annotations

from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from duban.accounts.models import Jurisdiction, Person, Unit
from duban.rules import model as rules


class Matter(models.Model):
    """A supervised matter (督查事项): what the 第九条第（七）项 max rule groups decisions by."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="matters")
    code = models.CharField("事项编号", max_length=40)
    title = models.CharField("事项名称", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="matters"
    )
    source = models.TextField("来源", blank=True, help_text="交办依据，如公报文号、批示、会议纪要")
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "督查事项"
        verbose_name_plural = "督查事项"
        ordering = ["jurisdiction", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="matter_code_unique_in_jurisdiction")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Decision(FSMModelMixin, models.Model):
    """A 督查问责决定 on one unit (or one of its staff) about one matter, with one or more 第五条 methods."""

    class Subject(models.TextChoices):
        UNIT = rules.SUBJECT_UNIT, "单位"
        PERSON = rules.SUBJECT_PERSON, "个人"

    class Status(models.TextChoices):
        EFFECTIVE = rules.STATUS_EFFECTIVE, "生效"
        UNDER_APPEAL = rules.STATUS_UNDER_APPEAL, "申诉中"
        EXEMPTED = rules.STATUS_EXEMPTED, "容错免责"
        REVOKED = rules.STATUS_REVOKED, "已撤销"

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
        "移送后已受处分", default=False, help_text="建议组织部门或纪检监察机关处理后，受到党政纪处分或组织处理（第九条第（六）项）"
    )
    opinion_letter_received = models.DateField(
        "收到督查问责意见书日期", null=True, blank=True, help_text="申诉期自此日起算（第八条第（三）项）"
    )
    exemption_ground = models.PositiveSmallIntegerField("容错免责情形（第七条第几项）", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "问责决定"
        verbose_name_plural = "问责决定"
        ordering = ["jurisdiction", "date", "id"]
        indexes = [models.Index(fields=["jurisdiction", "date"], name="decision_jurisdiction_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.unit.name} {'、'.join(self.methods)}"

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


class DecisionResponsible(models.Model):
    """A person held accountable by a decision in one of the four 第三条 roles."""

    class Role(models.TextChoices):
        HANDLER = rules.ACCOUNTABLE_ROLES[0], "承办人员（直接责任）"
        SECTION_HEAD = rules.ACCOUNTABLE_ROLES[1], "科室负责人（关键责任）"
        LEADER_IN_CHARGE = rules.ACCOUNTABLE_ROLES[2], "分管领导（直接领导责任）"
        PRINCIPAL = rules.ACCOUNTABLE_ROLES[3], "单位主要领导（主要领导责任）"

    decision = models.ForeignKey(Decision, verbose_name="问责决定", on_delete=models.CASCADE, related_name="responsibles")
    person = models.ForeignKey(Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField("责任类型", max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "责任人"
        verbose_name_plural = "责任人"
        ordering = ["decision", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person", "role"], name="responsible_unique_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role}：{self.person.name}"
