"""The 发文字号 of the documents duban writes: one sequence per jurisdiction, kind and year, never reused."""

from django.conf import settings
from django.db import models

from duban.accounts.models import Jurisdiction


class IssuedDocument(models.Model):
    """A numbered document: the first download of a subject (a month's ranking notice, a decision's
    通报批评) takes the next number of its kind and year; the same subject downloaded again keeps it."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField("公文种类", max_length=40)  # an export kind's name (duban.reports.exports.KINDS)
    subject_key = models.CharField("事由键", max_length=120)  # e.g. "2020-07", "decision:12"
    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("序号")
    reference = models.CharField("发文字号", max_length=60)  # as printed: 驻督排〔2020〕3号
    title = models.CharField("标题", max_length=200)
    issued_at = models.DateTimeField("编号时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "发文字号"
        verbose_name_plural = "发文字号"
        ordering = ["jurisdiction", "kind", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "year", "number"], name="issued_document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "subject_key"], name="issued_document_subject_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ReportTally(models.Model):
    """How many progress reports a jurisdiction's tasks received in one period of a cycle (week, month, quarter,
    half, year: reports.periods), and on how many tasks: what the 督查通报 counts 本期报送进展 from, a row a
    period however many reports. Kept by duban.reports.tallies in the transaction of every report write."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    cycle = models.CharField("周期", max_length=8)
    start = models.DateField("起始日")
    reports = models.IntegerField("报送次数")
    tasks = models.IntegerField("报送任务数")

    class Meta:
        verbose_name = "进度报送计数"
        verbose_name_plural = "进度报送计数"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "cycle", "start"], name="report_tally_key")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.start:%Y-%m-%d} {self.reports}/{self.tasks}"
