"""The task ledger: gazette issues and their documents as read, and the tasks drawn from them.

Tasks arrive as drafts (intake) and enter the ledger when a reviewer confirms them. Overdue and
"due soon" are derived from deadlines and progress when read, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from duban.accounts.models import Jurisdiction, Unit


class GazetteIssue(models.Model):
    """One ingested file: a gazette issue (公报) or a single document. Identified by its content."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="issues")
    source_name = models.CharField("文件名", max_length=255)
    content_hash = models.CharField("内容摘要（SHA-256）", max_length=64)
    title = models.CharField("刊名", max_length=200, blank=True)
    number = models.CharField("期号", max_length=60, blank=True, help_text="如 第4号（总第96号）")
    published = models.DateField("出版日期", null=True, blank=True)
    table_of_contents = models.JSONField("目录", default=list, blank=True)
    unresolved_units = models.JSONField("未能识别的单位名称", default=list, blank=True)
    ingested_at = models.DateTimeField("读取时间", auto_now_add=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="读取人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "公报（读取批次）"
        verbose_name_plural = "公报（读取批次）"
        ordering = ["-ingested_at"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "content_hash"], name="issue_content_unique_in_jurisdiction")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip() or self.source_name


class Document(models.Model):
    """A 公文 (or speech, or policy interpretation) as printed, with its full text for search."""

    issue = models.ForeignKey(GazetteIssue, verbose_name="所属公报", on_delete=models.CASCADE, related_name="documents")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="documents")
    position = models.PositiveIntegerField("顺序", default=0)
    doc_no = models.CharField("发文字号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文机关", max_length=120, blank=True)
    date = models.DateField("成文日期", null=True, blank=True)
    kind = models.CharField("文种", max_length=30, blank=True)
    speaker = models.CharField("讲话人", max_length=60, blank=True)
    attachment_of = models.ForeignKey(
        "self", verbose_name="所附于", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    full_text = models.TextField("全文", blank=True)
    search_tokens = models.TextField("检索词", blank=True, editable=False)

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["issue", "position"]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_no}）" if self.doc_no else self.title


class Task(models.Model):
    """A numbered task of a document that assigns work to named units (extraction.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        CONFIRMED = "confirmed", "已入台账"
        REJECTED = "rejected", "已退回"

    document = models.ForeignKey(Document, verbose_name="来源公文", on_delete=models.PROTECT, related_name="tasks")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="tasks")
    position = models.PositiveIntegerField("顺序", default=0)
    ref = models.CharField("编号", max_length=60, help_text="文中编号，如 三.(一).1")
    title = models.CharField("任务名称", max_length=300)
    text = models.TextField("任务内容", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class TaskUnit(models.Model):
    """A unit named on a task, as printed, and the directory's unit it resolves to (if any)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        RESPONSIBLE = "responsible", "责任单位"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField("职责", max_length=12, choices=Role.choices)
    printed_name = models.CharField("文中写法", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="task_assignments")
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "任务承办单位"
        verbose_name_plural = "任务承办单位"
        ordering = ["task", "role", "position"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.printed_name}"


class Target(models.Model):
    """A quantitative target with its year ("到2022年……不低于22%")."""

    document = models.ForeignKey(Document, verbose_name="公文", on_delete=models.CASCADE, related_name="targets")
    task = models.ForeignKey(Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="targets")
    text = models.TextField("原文")
    indicator = models.CharField("指标", max_length=200, blank=True)
    year = models.PositiveIntegerField("目标年份")
    comparator = models.CharField("比较", max_length=2, choices=[(c, c) for c in (">=", "<=", "=", ">", "<")])
    value = models.DecimalField("目标值", max_digits=18, decimal_places=4)
    unit_label = models.CharField("计量单位", max_length=30, blank=True)

    class Meta:
        verbose_name = "量化目标"
        verbose_name_plural = "量化目标"
        ordering = ["document", "task", "year", "id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.indicator} {self.comparator} {self.value.normalize()}{self.unit_label}"


class Deadline(models.Model):
    """A dated deadline given to a unit, resolved against the document's date."""

    document = models.ForeignKey(Document, verbose_name="公文", on_delete=models.CASCADE, related_name="deadlines")
    task = models.ForeignKey(Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    text = models.CharField("原文", max_length=200)
    date = models.DateField("期限")

    class Meta:
        verbose_name = "完成时限"
        verbose_name_plural = "完成时限"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}（{self.text}）"
