"""The task ledger: gazette issues and their documents as read, and the tasks drawn from them.

Tasks arrive as drafts (intake) and enter the ledger when a reviewer confirms them. Overdue and
"due soon" are derived from deadlines and progress when read, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from duban import clock
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.ledger import sources


class TaskRowQuerySet(models.QuerySet):
    """The rows a task's stored facts are made of (deadlines, reports, units, 督办单: duban.ledger.facts):
    a save or delete refreshes them by a signal; an update or a bulk create here, which send none, does it
    itself, so no door leaves them behind."""

    def update(self, **kwargs):
        from duban.ledger.facts import task_facts_refresh

        tasks = list(self.order_by().values_list("task_id", flat=True).distinct())
        count = super().update(**kwargs)
        task_facts_refresh(tasks + list(self.order_by().values_list("task_id", flat=True).distinct()))
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from duban.ledger.facts import task_facts_refresh

        created = super().bulk_create(objs, *args, **kwargs)
        task_facts_refresh(row.task_id for row in created)
        return created


class ProgressReportQuerySet(TaskRowQuerySet):
    """Progress reports: an update of their task or day, or a bulk create, also tells the stages after the ledger
    which tasks and days it wrote (signals.progress_reports_written), as a save or a delete does by Django's own
    signals."""

    def update(self, **kwargs):
        from duban.ledger.signals import progress_reports_written

        if not {"task", "task_id", "reported_on"} & set(kwargs):
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        written = set(self.model.objects.filter(pk__in=ids).values_list("task_id", "reported_on"))
        count = super().update(**kwargs)
        written |= set(self.model.objects.filter(pk__in=ids).values_list("task_id", "reported_on"))
        if written:
            progress_reports_written.send(
                sender=self.model, task_ids={t for t, _ in written}, days={d for _, d in written}, created=None
            )
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from duban.ledger.signals import progress_reports_written

        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            progress_reports_written.send(
                sender=self.model,
                task_ids={row.task_id for row in created},
                days={row.reported_on for row in created},
                created=[(row.task_id, row.reported_on) for row in created],
            )
        return created


def started_on_expression():
    """起算日期 in SQL: the Beijing day of 交办, else of 入台账 (Task.save() works the same out in Python)."""
    from django.db.models import DateField
    from django.db.models.functions import Coalesce, TruncDate

    return Coalesce(TruncDate("assigned_at"), TruncDate("reviewed_at"), output_field=DateField())


def given_on_expression(documents=None, task_sources=None):
    """在账日期 in SQL, for an update of tasks: the day a task was given (the 督查通报 counts it 在账 from then
    on): its 公文's 成文日期, a task opened by hand from its source's date, else the Beijing day it was
    confirmed (入台账) or assigned (交办). ``documents``, ``task_sources``: a migration's own models."""
    from django.db.models import DateField, OuterRef, Subquery
    from django.db.models.functions import Coalesce, TruncDate

    document = (documents or Document).objects.filter(pk=OuterRef("document_id")).values("date")[:1]
    source = (task_sources or TaskSource).objects.filter(task=OuterRef("pk")).values("date")[:1]
    return Coalesce(
        Subquery(document),
        Subquery(source),
        TruncDate("reviewed_at"),
        TruncDate("assigned_at"),
        output_field=DateField(),
    )


GIVEN_ON_FROM = {"document", "document_id", "reviewed_at", "assigned_at"}  # the task's own fields it follows


def unacknowledged_units_expression():
    """未签收单位数 in SQL: the units named on the task (one count per unit, however many times it is named) with
    an assignment not yet acknowledged (签收), as lifecycle_selectors.unacknowledged lists them."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    waiting = (
        TaskUnit.objects.filter(task=OuterRef("pk"), acknowledged_at__isnull=True, unit__isnull=False)
        .order_by()
        .values("task")
        .annotate(n=Count("unit", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0))


# 台账顺序: a task's place in the 台账 (its gazette issue, its document's place in it, its own place in the
# document; tasks without a document after all of them, by their place), as one number, so the 台账's pages
# are read in order from an index of the jurisdiction's tasks instead of joining and sorting every task with
# its document. Each place counts up to PLACE_LIMIT (a larger one sorts as PLACE_LIMIT).
PLACE_LIMIT = 2**20 - 1
NO_DOCUMENT_PLACE = 2**62


def ledger_place_of(*, issue_id: int | None, document_position: int | None, position: int) -> int:
    """台账顺序 of a task (ledger_place_expression works the same out in SQL)."""
    if issue_id is None:
        return NO_DOCUMENT_PLACE + min(position, PLACE_LIMIT)
    return issue_id * 2**40 + min(document_position or 0, PLACE_LIMIT) * 2**20 + min(position, PLACE_LIMIT)


def ledger_place_expression(documents=None):
    """台账顺序 in SQL, for an update of tasks (a subquery of the task's document, as an update joins nothing;
    ``documents``: the Document model to read, a migration's own)."""
    from django.db.models import BigIntegerField, Case, OuterRef, Subquery, Value, When
    from django.db.models.functions import Least

    document = (documents or Document).objects.filter(pk=OuterRef("document_id"))
    limit = Value(PLACE_LIMIT)
    return Case(
        When(document__isnull=True, then=Value(NO_DOCUMENT_PLACE) + Least("position", limit)),
        default=Subquery(document.values("issue_id")[:1]) * Value(2**40)
        + Least(Subquery(document.values("position")[:1]), limit) * Value(2**20)
        + Least("position", limit),
        output_field=BigIntegerField(),
    )


class TaskQuerySet(models.QuerySet):
    """Tasks: an update by queryset, which calls no save(), brings with it what save() would: 起算日期 after
    交办 or 入台账, 台账顺序 after the document or the place, 在账日期 after the document, 入台账 or 交办."""

    def update(self, **kwargs):
        follow = {}
        if "started_on" not in kwargs and {"assigned_at", "reviewed_at"} & set(kwargs):
            follow["started_on"] = started_on_expression()
        if "ledger_place" not in kwargs and {"document", "document_id", "position"} & set(kwargs):
            follow["ledger_place"] = ledger_place_expression()
        if "given_on" not in kwargs and GIVEN_ON_FROM & set(kwargs):
            follow["given_on"] = given_on_expression()
        from duban.ledger import tallies

        tallied = tallies.TALLIED_FIELDS & set(kwargs)
        if not follow and not tallied:
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        before = tallies.task_keys(ids) if tallied else []
        count = super().update(**kwargs)
        if tallied:
            tallies.standing_changes_apply(removed=before, added=tallies.task_keys(ids))
        if follow:
            Task.objects.filter(pk__in=ids).update(**follow)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from duban.ledger import tallies

        created = super().bulk_create(objs, *args, **kwargs)
        tallies.standing_changes_apply(removed=[], added=[tallies.key_of(task) for task in created])
        return created


class StandingChange(models.Model):
    """How many of a jurisdiction's tasks enter (n > 0) or leave (n < 0) the ledger or a standing on a day: the
    ledger's standing on any day is the sum of its changes up to that day (the 督查通报's 在账任务, 红灯, 黄灯, 无时限
    and 已办结 of any period, a few thousand rows a jurisdiction however many tasks). Kept by duban.ledger.tallies
    in the transaction of every task write; never written elsewhere."""

    class Measure(models.TextChoices):
        TASKS = "tasks", "在账任务"
        DONE = "done", "已办结"
        NO_DEADLINE = "no_deadline", "无时限"
        OVERDUE = "overdue", "已逾期"
        DUE_SOON = "due_soon", "即将到期"

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    measure = models.CharField("计数", max_length=12, choices=Measure.choices)
    n = models.IntegerField("增减")

    class Meta:
        verbose_name = "台账状态变化"
        verbose_name_plural = "台账状态变化"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "day", "measure"], name="standing_change_key")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.measure} {self.n:+d}"


class GazetteIssue(models.Model):
    """One ingested file: a gazette issue (公报) or a single document. Identified by its content."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="issues")
    source_name = models.CharField("文件名", max_length=255)
    content_hash = models.CharField("内容摘要（SHA-256）", max_length=64)
    # The issue's identity whatever its encoding, line ends or BOM (duban.ledger.ingest.extraction_digest).
    text_hash = models.CharField("正文摘要（SHA-256）", max_length=64, blank=True, editable=False)
    title = models.CharField("刊名", max_length=200, blank=True)
    number = models.CharField("期号", max_length=60, blank=True, help_text="如 第4号（总第96号）")
    published = models.DateField("出版日期", null=True, blank=True)
    table_of_contents = models.JSONField("目录", default=list, blank=True)
    unresolved_units = models.JSONField("未能识别的单位名称", default=list, blank=True)
    ingested_at = models.DateTimeField("读取时间", default=clock.now, editable=False)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="读取人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "公报（读取批次）"
        verbose_name_plural = "公报（读取批次）"
        ordering = ["-ingested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "content_hash"], name="issue_content_unique_in_jurisdiction"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "text_hash"],
                condition=~models.Q(text_hash=""),
                name="issue_text_unique_in_jurisdiction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip() or self.source_name


class Document(models.Model):
    """A 公文 (or speech, or policy interpretation) as printed, with its full text for search."""

    issue = models.ForeignKey(GazetteIssue, verbose_name="所属公报", on_delete=models.CASCADE, related_name="documents")
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="documents"
    )
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
    # Read by OCR from a scan or an image (intake marks it): reviewers check it against the original.
    ocr = models.BooleanField("经文字识别（OCR）读取", default=False)
    # A document without 文号 is known by its normalised text (duban.ledger.ingest.text_digest).
    text_hash = models.CharField("正文摘要（SHA-256）", max_length=64, blank=True, editable=False, db_index=True)
    search_tokens = models.TextField("检索词", blank=True, editable=False)

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["issue", "position"]
        indexes = [
            # the 公文库's list (newest first) and its years, one page read from the index
            models.Index(fields=["jurisdiction", "date"], name="document_jurisdiction_date_idx"),
        ]

    OCR_NOTICE = "本文件经文字识别（OCR）读取，请对照原件核对"

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_no}）" if self.doc_no else self.title


class ReportingCycle(models.TextChoices):
    MONTHLY = "monthly", "每月"
    BIWEEKLY = "biweekly", "每半月"
    WEEKLY = "weekly", "每周"


class Task(models.Model):
    """A task the office supervises: drafted from a document (extraction.md) or opened by hand (立项)
    from another source — a leader's 批示, a meeting, a superior body, a 人大建议 or 政协提案, the
    public, a 任务分解表. Its ``source_kind`` says which; a 公文 task names its ``document``, every
    other kind keeps its fields in ``source`` (TaskSource)."""

    ReportingCycle = ReportingCycle

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        CONFIRMED = "confirmed", "已入台账"
        REJECTED = "rejected", "已退回"

    source_kind = models.CharField(
        "来源类型", max_length=20, choices=sources.KIND_CHOICES, default=sources.DOCUMENT, db_index=True
    )
    document = models.ForeignKey(
        Document, verbose_name="来源公文", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="tasks")
    position = models.PositiveIntegerField("顺序", default=0)
    ref = models.CharField("编号", max_length=60, help_text="文中编号，如 三.(一).1")
    title = models.CharField("任务名称", max_length=300)
    text = models.TextField("任务内容", blank=True)
    targets_text = models.TextField("目标要求", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    # Set by the 督查室 when it assigns the confirmed task.
    reporting_cycle = models.CharField(
        "报送周期", max_length=10, choices=ReportingCycle.choices, default=ReportingCycle.MONTHLY
    )
    owner = models.ForeignKey(
        Person, verbose_name="督查室经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_tasks"
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    # 办结: the office closes the task (验收 of a 办结申请, or its own 办结); a 100% report closes nothing.
    done_on = models.DateField("办结日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_note = models.CharField("办结说明", max_length=300, blank=True)
    # Stored facts of the task's rows, kept by duban.ledger.facts in the transaction that writes those rows, so
    # that the 台账's standing and 亮灯 of today read columns instead of searching each task's rows.
    started_on = models.DateField(
        "起算日期", null=True, blank=True, editable=False, help_text="交办之日，未交办的为入台账之日（北京时间）"
    )
    earliest_deadline = models.DateField("最早时限", null=True, blank=True, editable=False)
    lead_percent = models.PositiveSmallIntegerField(
        "牵头单位最低进度（%）", null=True, blank=True, editable=False, help_text="无牵头单位时为空"
    )
    orders_reply_by = models.DateField("未回复督办单的最早回复期限", null=True, blank=True, editable=False)
    # Kept by save(), TaskQuerySet.update and a save of the document (duban.ledger.facts).
    ledger_place = models.BigIntegerField("台账顺序", default=NO_DOCUMENT_PLACE, editable=False)
    unacknowledged_units = models.PositiveIntegerField(
        "未签收单位数", default=0, editable=False, help_text="有未签收交办的单位数（每单位计一次）"
    )
    # given_on_expression, kept by the database's own update (save(), TaskQuerySet.update, the document's and
    # the source's saves, duban.ledger.facts): read it from a query, not from an instance saved since.
    given_on = models.DateField(
        "在账日期", null=True, blank=True, editable=False, help_text="公文成文日期，或来源日期、入台账、交办之日"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["document", "position", "id"]
        indexes = [
            # The 台账's counts and filters by standing and 亮灯 read only these columns of a jurisdiction's
            # tasks (duban.ledger.facts): from the index alone, without the rows and their long texts.
            models.Index(
                fields=[
                    "jurisdiction",
                    "status",
                    "done_on",
                    "earliest_deadline",
                    "orders_reply_by",
                    "started_on",
                    "lead_percent",
                    "reporting_cycle",
                ],
                name="task_ledger_facts",
            ),
            # read from the index alone: 待签收 (交办, not 办结, oldest 交办 first; 超时未签收 counted from the units yet
            # to sign of each), 公文审核's counts by status, and which tasks owed a report for a period (漏报进度: its
            # cycle, given by then, not done by then)
            models.Index(
                fields=[
                    "jurisdiction",
                    "status",
                    "done_on",
                    "assigned_at",
                    "reporting_cycle",
                    "reviewed_at",
                    "unacknowledged_units",
                ],
                name="task_jurisdiction_status_idx",
            ),
            # 督查通报: the tasks 在账 by a day, and the ledger's first day (its first period)
            models.Index(fields=["jurisdiction", "status", "given_on"], name="task_given_on_idx"),
            # 公文审核: each document's drafts
            models.Index(fields=["document", "status"], name="task_document_status_idx"),
            # the 台账 and 公文审核 in order: a page's keys read from the index (ledger_place)
            models.Index(fields=["jurisdiction", "status", "ledger_place", "id"], name="task_ledger_place_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(source_kind=sources.DOCUMENT) & models.Q(document__isnull=False))
                | (~models.Q(source_kind=sources.DOCUMENT) & models.Q(document__isnull=True)),
                name="task_document_iff_document_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}".strip()

    def save(self, *args, **kwargs):
        # 起算日期 follows 交办 and 入台账 in the same write (lights.task_start reads it in Python).
        moment = self.assigned_at or self.reviewed_at
        self.started_on = timezone.localtime(moment).date() if moment is not None else None
        fields = kwargs.get("update_fields")
        if fields is not None and {"assigned_at", "reviewed_at"} & set(fields):
            fields = [*fields, "started_on"]
        # 台账顺序 follows the document and the place in it.
        if fields is None or {"document", "document_id", "position"} & set(fields):
            self.ledger_place = self._place()
            if fields is not None:
                fields = [*fields, "ledger_place"]
        if fields is not None:
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)
        # 在账日期 follows the document, 入台账 and 交办 (its source's date: TaskSource's save), in the database.
        if fields is None or GIVEN_ON_FROM & set(fields):
            Task.objects.filter(pk=self.pk).update(given_on=given_on_expression())

    def _place(self) -> int:
        if self.document_id is None:
            return ledger_place_of(issue_id=None, document_position=None, position=self.position)
        if Task.document.is_cached(self) and self.document.pk == self.document_id:
            issue_id, document_position = self.document.issue_id, self.document.position
        else:
            issue_id, document_position = Document.objects.values_list("issue_id", "position").get(pk=self.document_id)
        return ledger_place_of(issue_id=issue_id, document_position=document_position, position=self.position)

    @property
    def source_summary(self) -> str:
        return sources.source_summary(self)

    @property
    def source_rows(self) -> list[tuple[str, object]]:
        return sources.source_rows(self)


def source_attachment_path(instance: TaskSource, filename: str) -> str:
    return f"ledger/sources/{instance.task_id}/{filename}"


class TaskSource(models.Model):
    """The fields of a task's source other than a 公文 (sources.SOURCE_KINDS names them per kind)."""

    task = models.OneToOneField(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="source")
    person = models.CharField("人员", max_length=sources.MAX_LENGTHS["person"], blank=True)
    origin = models.CharField("来源名称", max_length=sources.MAX_LENGTHS["origin"], blank=True)
    number = models.CharField("编号", max_length=sources.MAX_LENGTHS["number"], blank=True, db_index=True)
    date = models.DateField("日期", null=True, blank=True)
    words = models.TextField("批示内容", blank=True)
    attachment = models.FileField("批示件", upload_to=source_attachment_path, max_length=255, blank=True)
    attachment_name = models.CharField("原文件名", max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField("大小（字节）", null=True, blank=True)
    attachment_type = models.CharField("类型", max_length=100, blank=True)
    file_name = models.CharField("文件名", max_length=sources.MAX_LENGTHS["file_name"], blank=True)
    sheet = models.CharField("工作表", max_length=sources.MAX_LENGTHS["sheet"], blank=True)
    row = models.PositiveIntegerField("行号", null=True, blank=True)

    class Meta:
        verbose_name = "任务来源"
        verbose_name_plural = "任务来源"

    def __str__(self) -> str:
        return sources.source_summary(self.task)


class TaskUnit(models.Model):
    """A unit named on a task, as printed, and the directory's unit it resolves to (if any)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        RESPONSIBLE = "responsible", "责任单位"
        COOPERATING = "cooperating", "配合单位"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField("职责", max_length=12, choices=Role.choices)
    printed_name = models.CharField("文中写法", max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="task_assignments"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    # Whether this unit leads the task (selectors.task_lead_unit_ids), kept by duban.ledger.facts.
    leads = models.BooleanField("牵头", default=False, editable=False)
    # 签收: the unit's liaison acknowledges the task (within the jurisdiction's window, supervision.yaml).
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TaskRowQuerySet.as_manager()

    class Meta:
        verbose_name = "任务承办单位"
        verbose_name_plural = "任务承办单位"
        ordering = ["task", "role", "position"]
        indexes = [
            # 漏报 asks, per task, which units lead it and whether each reported (lights.with_lights).
            models.Index(fields=["task", "leads", "unit"], name="taskunit_task_leads"),
            # 待签收: one row per task and unit not yet acknowledged
            models.Index(fields=["task", "unit", "acknowledged_at"], name="taskunit_task_unit_ack_idx"),
            # a task's lead units (selectors.leading_assignments), as 漏报进度 reads them
            models.Index(fields=["task", "role", "unit", "position"], name="taskunit_task_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.printed_name}"


class Target(models.Model):
    """A quantitative target with its year ("到2022年……不低于22%")."""

    document = models.ForeignKey(
        Document, verbose_name="公文", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
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
    """A dated deadline given to a unit, resolved against the document's date (or set at 立项)."""

    document = models.ForeignKey(
        Document, verbose_name="公文", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    text = models.CharField("原文", max_length=200)
    date = models.DateField("期限")

    objects = TaskRowQuerySet.as_manager()

    class Meta:
        verbose_name = "完成时限"
        verbose_name_plural = "完成时限"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}（{self.text}）"


class DeadlineChange(models.Model):
    """One move of a deadline (an approved 延期, or the office's own change): the deadline's history."""

    deadline = models.ForeignKey(Deadline, verbose_name="完成时限", on_delete=models.CASCADE, related_name="changes")
    from_date = models.DateField("原时限")
    to_date = models.DateField("新时限")
    reason = models.CharField("理由", max_length=300, blank=True)
    extension = models.ForeignKey(
        "ExtensionRequest",
        verbose_name="延期申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调整人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField("调整时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "时限调整记录"
        verbose_name_plural = "时限调整记录"
        ordering = ["deadline", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_date:%Y-%m-%d} → {self.to_date:%Y-%m-%d}"


class ExtensionRequest(FSMModelMixin, models.Model):
    """延期申请: a unit asks for a later deadline with a reason; the approver the jurisdiction's settings
    name decides. Approved, the deadline moves (a DeadlineChange); refused, nothing changes."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "未同意"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="extension_requests")
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="extension_requests")
    deadline = models.ForeignKey(
        Deadline, verbose_name="完成时限", on_delete=models.PROTECT, related_name="extension_requests"
    )
    current_date = models.DateField("申请时的时限")
    requested_date = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=clock.now, editable=False)
    status = FSMField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, protected=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status_idx")]  # the list
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"], condition=models.Q(status="pending"), name="extension_one_pending_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} 申请延至 {self.requested_date:%Y-%m-%d}（{self.get_status_display()}）"

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=Status.PENDING, target=Status.REFUSED)
    def refuse(self) -> None:
        pass


class ClosureRequest(FSMModelMixin, models.Model):
    """办结申请: the lead unit applies to close the task with its evidence; the office accepts (验收: the
    task is 已办结) or returns it with a reason (back to 办理中). A 100% progress report closes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "待验收"
        ACCEPTED = "accepted", "验收通过"
        RETURNED = "returned", "已退回"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="closure_requests")
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="closure_requests")
    summary = models.TextField("办结情况")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=clock.now, editable=False)
    status = FSMField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, protected=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("验收时间", null=True, blank=True)
    decision_note = models.CharField("验收意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "办结申请"
        verbose_name_plural = "办结申请"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="closure_status_idx")]  # the list
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="pending"), name="closure_one_pending_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} 申请办结（{self.get_status_display()}）"

    @transition(field=status, source=Status.PENDING, target=Status.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=status, source=Status.PENDING, target=Status.RETURNED)
    def send_back(self) -> None:
        pass


def closure_attachment_path(instance: ClosureAttachment, filename: str) -> str:
    return f"ledger/closure/{instance.request.task_id}/{instance.request_id}/{filename}"


class ClosureAttachment(models.Model):
    request = models.ForeignKey(
        ClosureRequest, verbose_name="办结申请", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("佐证材料", upload_to=closure_attachment_path, max_length=255)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)

    class Meta:
        verbose_name = "办结佐证材料"
        verbose_name_plural = "办结佐证材料"
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: ProgressAttachment, filename: str) -> str:
    return f"ledger/progress/{instance.report.task_id}/{instance.report_id}/{filename}"


class ProgressReport(models.Model):
    """A unit's report on a task for one reporting period (每月/每半月/每周): text and percentage."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="progress_reports")
    unit = models.ForeignKey(Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="progress_reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(
        "报送周期", max_length=12, help_text="如 2020-06（每月）、2020-06-1（上半月）、2020-W23（每周）"
    )
    reported_on = models.DateField("报送日期")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    created = models.DateTimeField("录入时间", default=clock.now, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进度报送"
        verbose_name_plural = "进度报送"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="progress_one_report_per_period"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_percent_at_most_100"),
        ]
        # 督查通报: whether any report is dated after a running period's day (then its counts are read from the rows)
        indexes = [models.Index(fields=["reported_on"], name="progress_reported_on_idx")]

    def __str__(self) -> str:
        return f"{self.task.ref} {self.unit} {self.period} {self.percent}%"

    @property
    def period_label(self) -> str:
        from duban.ledger.selectors import period_label

        return period_label(self.period)


class ProgressAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name="进度报送", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("附件", upload_to=attachment_path, max_length=255)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)

    class Meta:
        verbose_name = "进度附件"
        verbose_name_plural = "进度附件"
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class TargetReading(models.Model):
    """The value of a quantitative target as a unit reported it."""

    target = models.ForeignKey(Target, verbose_name="量化目标", on_delete=models.PROTECT, related_name="readings")
    report = models.ForeignKey(
        ProgressReport, verbose_name="进度报送", on_delete=models.PROTECT, related_name="readings"
    )
    value = models.DecimalField("当前值", max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = "目标监测值"
        verbose_name_plural = "目标监测值"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["target", "report"], name="reading_one_per_report")]

    def __str__(self) -> str:
        return f"{self.target.indicator} = {self.value.normalize()}"


class SupervisionOrder(models.Model):
    """A 督办单 the 督查室 issues to a unit for a late task; the unit's liaison answers it once."""

    class Status(models.TextChoices):
        ISSUED = "issued", "待回复"
        ANSWERED = "answered", "已回复"

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="supervision_orders"
    )
    year = models.PositiveIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="supervision_orders")
    unit = models.ForeignKey(Unit, verbose_name="督办单位", on_delete=models.PROTECT, related_name="supervision_orders")
    reason = models.TextField("督办事由")
    reply_by = models.DateField("回复期限")
    issued_on = models.DateField("签发日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED, db_index=True)
    answer = models.TextField("回复内容", blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TaskRowQuerySet.as_manager()

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "serial"], name="order_number_unique_in_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.serial}号"


class Reminder(models.Model):
    """Something a person must do, listed in-app (and mailed when DUBAN_EMAIL_REMINDERS is set)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("类别", max_length=20)
    text = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=200, blank=True)
    task = models.ForeignKey(
        Task, verbose_name="任务", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    due = models.DateField("办理期限", null=True, blank=True)
    key = models.CharField("去重键", max_length=120, help_text="同一接收人同一事由只提醒一次")
    created = models.DateTimeField("提醒时间", default=clock.now, editable=False)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created", "-id"]
        indexes = [
            # 我的提醒: one page of a person's reminders, newest first (all, or the unread and their count)
            models.Index(fields=["recipient", "created"], name="reminder_recipient_idx"),
            models.Index(fields=["recipient", "read_at", "created"], name="reminder_recipient_unread_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="reminder_once_per_recipient")]

    def __str__(self) -> str:
        return self.text


class NotificationChannel(models.Model):
    """An IM group robot the jurisdiction's reminders are also posted to (钉钉 or 企业微信): a webhook
    URL, and for 钉钉 the 加签 secret. With a unit, the reminders of that unit's people; without, the
    reminders of the office's (those of no unit)."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", "钉钉群机器人"
        WECOM = "wecom", "企业微信群机器人"

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="notification_channels"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="notification_channels"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=60)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True, help_text="钉钉机器人“加签”的密钥（SEC 开头）")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["jurisdiction", "unit", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Delivery(models.Model):
    """One sending of a reminder by one notifier (e-mail, a group robot): tried by the worker, retried
    when it fails, each failure kept in ``error``. The in-app reminder stands whatever happens here."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    reminder = models.ForeignKey(Reminder, verbose_name="提醒", on_delete=models.CASCADE, related_name="deliveries")
    notifier = models.CharField("通知方式", max_length=20)
    channel = models.ForeignKey(
        NotificationChannel,
        verbose_name="通知渠道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    address = models.CharField("发送地址", max_length=500, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("失败原因", blank=True)
    created = models.DateTimeField("创建时间", default=clock.now, editable=False)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒发送记录"
        verbose_name_plural = "提醒发送记录"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.notifier} {self.get_state_display()}"


class UploadJob(models.Model):
    """上传公文: a file the office uploaded, read by the background worker (duban.ledger.uploads).

    The file's bytes wait here until the worker has read them and are cleared when the job ends, whether
    it stored the issue (``issue``) or failed (``message`` says why, in Chinese; nothing else is stored)."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "读取中"
        DONE = "done", "已完成"
        FAILED = "failed", "未能读取"

    class Stage(models.TextChoices):
        QUEUED = "queued", "等待读取"
        READING = "reading", "读取文件"
        DOCUMENTS = "documents", "识别公文"
        TASKS = "tasks", "识别任务"
        UNITS = "units", "对应单位"
        STORING = "storing", "入库"
        DONE = "done", "完成"

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="upload_jobs"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    content_hash = models.CharField("内容摘要（SHA-256）", max_length=64)
    content = models.BinaryField("文件内容", blank=True, default=b"", editable=False)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    stage = models.CharField("进度", max_length=10, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    documents = models.PositiveIntegerField("公文（件）", default=0)
    tasks = models.PositiveIntegerField("任务（项）", default=0)
    units_printed = models.PositiveIntegerField("单位名称（个）", default=0)
    units_resolved = models.PositiveIntegerField("已对应单位（个）", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    issue = models.ForeignKey(
        GazetteIssue, verbose_name="读取结果", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField("上传时间", default=clock.now, editable=False)
    finished = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "上传公文"
        verbose_name_plural = "上传公文"
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def finished_ok(self) -> bool:
        return self.state == self.State.DONE


class TaskWatch(models.Model):
    """A leader (副总督查, 总督查) marks a task 关注: the units and the office see it on the task."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="watches")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="关注领导", on_delete=models.PROTECT, related_name="+"
    )
    leader_name = models.CharField("领导姓名", max_length=150)
    created = models.DateTimeField("关注时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "领导关注"
        verbose_name_plural = "领导关注"
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "leader"], name="task_watched_once_per_leader")]

    def __str__(self) -> str:
        return f"{self.leader_name}关注：{self.task.title}"


class TaskInstruction(models.Model):
    """A leader's 批示 on a task in the ledger (text), shown on the task to its units and the office."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="instructions")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批示领导", on_delete=models.PROTECT, related_name="+"
    )
    leader_name = models.CharField("领导姓名", max_length=150)
    text = models.TextField("批示内容")
    created = models.DateTimeField("批示时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.leader_name}批示：{self.text[:30]}"
