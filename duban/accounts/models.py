"""Who is supervised and who supervises: jurisdictions, units, people; plus the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from duban import clock
from duban.accounts.append_only import AppendOnlyModel
from duban.rules.model import CIVILIZED_LEVEL_LABELS


class Jurisdiction(models.Model):
    """A government that runs its own accountability (第八条: 各县区政府负责本级政府系统的督查问责)."""

    class Level(models.TextChoices):
        CITY = "city", "市级"
        COUNTY = "county", "县区级"

    code = models.SlugField("代码", max_length=40, unique=True, help_text="如 zhumadian")
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    rulebook_code = models.SlugField(
        "适用规则代码", max_length=40, blank=True, help_text="rulebooks/ 下的目录名；留空则与代码相同"
    )

    class Meta:
        verbose_name = "辖区"
        verbose_name_plural = "辖区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.rulebook_code:
            self.rulebook_code = self.code
        super().save(*args, **kwargs)


class Unit(models.Model):
    """A supervised body: a 市直 department, a county government, a public institution (第二条)."""

    class Civilized(models.TextChoices):
        NONE = "none", "非文明单位"
        CITY = "city", CIVILIZED_LEVEL_LABELS["city"]
        PROVINCE = "province", CIVILIZED_LEVEL_LABELS["province"]
        NATIONAL = "national", CIVILIZED_LEVEL_LABELS["national"]

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="公文中出现的其他写法，JSON 列表")
    liaison_supervisor = models.ForeignKey(
        "Person",
        verbose_name="联系二级督查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_units",
    )
    first_level_supervisor = models.ForeignKey(
        "Person",
        verbose_name="分管一级督查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_level_units",
    )
    civilized = models.CharField("文明单位", max_length=10, choices=Civilized.choices, default=Civilized.NONE)
    vertically_managed = models.BooleanField("垂直管理", default=False)
    # 第二条: the 办法 covers the government system. Party organs, mass organisations, the
    # government and its 督查室 themselves, and collective names (各县区人民政府) are named on tasks
    # but not ranked.
    ranked = models.BooleanField("参加月排名", default=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_name_unique_in_jurisdiction")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The short name where there is one: tables and rankings list units as documents do."""
        return self.short_name or self.name

    def clean(self):
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "别名必须是字符串列表"})


class Person(models.Model):
    class Role(models.TextChoices):
        # 第三条: the four accountable roles ...
        HANDLER = "承办人员", "承办人员"
        SECTION_HEAD = "科室负责人", "科室负责人"
        LEADER_IN_CHARGE = "分管领导", "分管领导"
        PRINCIPAL = "单位主要领导", "单位主要领导"
        # ... 第八条: the supervision chain that gives opinions and reviews ...
        SECOND_LEVEL_SUPERVISOR = "二级督查", "二级督查"
        FIRST_LEVEL_SUPERVISOR = "一级督查", "一级督查"
        DEPUTY_CHIEF_SUPERVISOR = "副总督查", "副总督查"
        CHIEF_SUPERVISOR = "总督查", "总督查"
        # ... and the office staff and the units' contact people.
        OFFICE_STAFF = "督查室工作人员", "督查室工作人员"
        LIAISON = "联络员", "联络员"

    class CadreLevel(models.TextChoices):
        # 第八条第（二）项第2目: 科级及以下 are handled by their county or department.
        SECTION_AND_BELOW = "科级及以下", "科级及以下"
        DIVISION = "处级", "处级"
        BUREAU = "厅级", "厅级"

    name = models.CharField("姓名", max_length=40)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="people")
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField("职务", max_length=60, blank=True)
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    cadre_level = models.CharField(
        "干部层级", max_length=10, choices=CadreLevel.choices, default=CadreLevel.SECTION_AND_BELOW
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["jurisdiction", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}）" if self.unit_id else self.name

    def clean(self):
        if self.unit_id and self.unit.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"unit": "所在单位不属于该辖区"})


class AuditAction(models.TextChoices):
    """Every action the audit log records, with its name in words: the one list of them (services write
    these, the history on every page reads them)."""

    JURISDICTION_CREATE = "jurisdiction_create", "登记辖区"
    JURISDICTION_UPDATE = "jurisdiction_update", "修改辖区"
    UNIT_CREATE = "unit_create", "登记单位"
    UNIT_UPDATE = "unit_update", "修改单位"
    PERSON_CREATE = "person_create", "登记人员"
    PERSON_UPDATE = "person_update", "修改人员"
    USER_CREATE = "user_create", "创建账号"
    USER_GRANT = "user_grant", "授予权限"
    USER_UPDATE = "user_update", "修改账号"
    USER_SET_GROUPS = "user_set_groups", "修改账号角色"
    USER_SET_PERMISSIONS = "user_set_permissions", "修改账号权限"
    USER_SET_PASSWORD = "user_set_password", "管理员重设密码"
    USER_ADD_ROLE = "user_add_role", "加入角色"
    PERSON_LINK_USER = "person_link_user", "关联账号"
    PASSWORD_CHANGE = "password_change", "修改密码"
    INGEST = "ingest", "读取公报"
    WORKBOOK_IMPORT = "workbook_import", "导入任务分解表"
    UPLOAD_JOB_CREATE = "upload_job_create", "上传公文"
    TASK_CONFIRM = "task_confirm", "确认入台账"
    TASK_REJECT = "task_reject", "退回"
    TASK_UPDATE = "task_update", "审核修改"
    TASK_ASSIGN = "task_assign", "交办"
    DEADLINE_ADD = "deadline_add", "设置时限"
    DEADLINE_UPDATE = "deadline_update", "调整时限"
    TASK_MARK_DONE = "task_mark_done", "办结"
    TASK_ACKNOWLEDGE = "task_acknowledge", "签收"
    EXTENSION_REQUEST = "extension_request", "申请延期"
    EXTENSION_APPROVE = "extension_approve", "同意延期"
    EXTENSION_REFUSE = "extension_refuse", "不同意延期"
    CLOSURE_APPLY = "closure_apply", "申请办结"
    CLOSURE_ACCEPT = "closure_accept", "办结验收通过"
    CLOSURE_RETURN = "closure_return", "办结申请退回"
    CHANNEL_CREATE = "channel_create", "登记通知渠道"
    CHANNEL_UPDATE = "channel_update", "修改通知渠道"
    TASK_OPEN = "task_open", "立项"
    TASK_WATCH = "task_watch", "领导关注"
    TASK_UNWATCH = "task_unwatch", "取消关注"
    TASK_INSTRUCT = "task_instruct", "领导批示"
    PROGRESS_REPORT_CREATE = "progress_report_create", "报送进度"
    ORDER_ISSUE = "order_issue", "签发督办单"
    ORDER_ANSWER = "order_answer", "回复督办单"
    REMINDER_CREATE = "reminder_create", "发出提醒"
    REMINDER_SETTLED = "reminder_settled", "提醒已办结"
    REMINDER_READ = "reminder_read", "阅读提醒"
    MATTER_CREATE = "matter_create", "登记督查事项"
    MATTER_UPDATE = "matter_update", "修改督查事项"
    CASE_OPEN = "case_open", "立案"
    CASE_UPDATE_INVESTIGATION = "case_update_investigation", "记录调查核实情况"
    CASE_AGREE = "case_agree", "同意"
    CASE_RETURN = "case_return", "退回"
    CASE_WITHDRAW = "case_withdraw", "撤案"
    CASE_LETTER_ISSUE = "case_letter_issue", "送达督查问责意见书"
    DECISION_CREATE = "decision_create", "作出问责决定"
    DECISION_IMPORT = "decision_import", "历史导入问责决定"
    DECISION_CORRECT = "decision_correct", "更正问责决定"
    DECISION_APPEAL = "decision_appeal", "申诉"
    DECISION_UPHOLD = "decision_uphold", "复核维持"
    DECISION_REVOKE = "decision_revoke", "复核撤销"
    DECISION_EXEMPT = "decision_exempt", "容错免责"
    DECISION_SET_SANCTION = "decision_set_sanction", "登记移送后处分情况"
    APPEAL_FILE = "appeal_file", "提出申诉复核"
    APPEAL_DECIDE = "appeal_decide", "申诉复核结果"
    REFERRAL_CREATE = "referral_create", "移送处理"
    REFERRAL_RECORD_RESULT = "referral_record_result", "登记处理结果"
    RECTIFICATION_CREATE = "rectification_create", "产生整改事项"
    RECTIFICATION_REPORT = "rectification_report", "上报整改结果"
    RECTIFICATION_ACCEPT = "rectification_accept", "整改审核通过"
    RECTIFICATION_RETURN = "rectification_return", "整改结果退回"
    LEDGER_SYNC = "ledger_sync", "积分记账"
    DOCUMENT_ISSUE = "document_issue", "公文编号"
    DOCUMENT_TEMPLATE_REPLACE = "document_template_replace", "替换公文模板"
    PROVINCE_GENERATE = "province_generate", "生成省级规模测试数据"


class AuditLog(AppendOnlyModel):
    """One row per write of a service: who did what, and the object before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # An audited user is deactivated, not deleted: the log must keep pointing at them.
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("操作", max_length=60, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    at = models.DateTimeField("时间", default=clock.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
