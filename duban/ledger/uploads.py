"""上传公文: the office uploads a gazette or a document; a background worker reads it into the ledger.

``upload_job_create`` keeps the file in an ``UploadJob`` (audited) and queues it; the worker
(huey, ``manage.py run_huey``; duban.ledger.tasks) calls ``upload_job_run``, which reads the file
stage by stage — reading, documents, tasks, units resolved — writing the job's progress as it goes,
and then stores the issue through ``issue_ingest`` (its own audit row) in one transaction with the
job's end. A file that is not a 公文, a damaged file or one already read fails the job with a message
in Chinese naming the problem, and nothing is stored; the file's bytes are cleared either way.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from duban import clock
from duban.accounts.models import AuditAction, Jurisdiction
from duban.accounts.services import audit_record
from duban.errors import InputError
from duban.ledger.ingest import UnitResolver, content_digest, issue_ingest
from duban.ledger.models import Document, GazetteIssue, UploadJob

logger = logging.getLogger(__name__)

# What intake says (duban/intake/reading.py, extract.py), as the office reads it.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"the file is empty", "文件是空的"),
    (
        r"legacy Excel spreadsheet",
        "这是旧版 Excel 表格（.xls），不是公文；任务分解表请另存为 .xlsx 后在“导入任务分解表”中导入",
    ),
    (r"PowerPoint presentation", "这是 PowerPoint 演示文稿（.ppt），不是公文；请另存为 .docx 或 PDF 后再上传"),
    (r"damaged legacy Office file", "旧版 Word/WPS 文件（.doc/.wps）已损坏，无法打开"),
    (
        r"legacy Word/WPS file cannot be converted",
        "旧版 Word/WPS 文件（.doc/.wps）无法转换（LibreOffice 打不开），请另存为 .docx 后再上传",
    ),
    (
        r"needs LibreOffice",
        "读取旧版 Word/WPS 文件（.doc/.wps）需要 LibreOffice，服务器未安装（Debian 软件包 libreoffice-writer-nogui）；请另存为 .docx 后再上传，或请系统管理员安装",
    ),
    (
        r"tesseract is not installed|no Chinese language data chi_sim",
        "读取扫描件和图片需要文字识别（OCR）程序，服务器未安装（Debian 软件包 tesseract-ocr、tesseract-ocr-chi-sim）；请上传含文字层的 PDF 或 Word 文件，或请系统管理员安装",
    ),
    (r"needs pdftoppm", "读取扫描版 PDF 需要 pdftoppm，服务器未安装（Debian 软件包 poppler-utils）；请系统管理员安装"),
    (r"scanned pages to read by OCR, more than", "扫描件页数过多（每个文件最多文字识别 40 页），请拆分后分别上传"),
    (r"took longer than", "文字识别或格式转换超时，已停止；请拆分文件或改传含文字层的文件"),
    (
        r"OCR recognised no Chinese text|no Chinese text recognised in the image",
        "扫描件或图片中没有识别出中文文字（可能太模糊、太小或不是公文），请上传更清晰的文件",
    ),
    (r"the image is too large", "图片过大，无法读取"),
    (r"the image cannot be read", "图片文件已损坏，无法打开"),
    (r"cannot be rendered for OCR|OCR failed", "扫描件无法进行文字识别（文件可能已损坏）"),
    (r"the PDF has no pages", "PDF 文件没有页面"),
    (r"binary data, not a text document", "文件不是文本文档（内容为二进制数据）"),
    (r"no known text encoding fits", "文件不是文本文档（无法识别其文字编码）"),
    (r"no text in the document", "文件中没有文字"),
    (r"no Chinese text found", "文件中没有中文内容，不是公文"),
    (r"not readable Chinese", "文件内容不是可读的中文（编码有误，或不是公文）"),
    (r"the PDF cannot be read", "PDF 文件已损坏，无法打开"),
    (r"a ZIP archive, not a Word document", "这是一个 ZIP 压缩包，不是 Word 文档"),
    (r"damaged ZIP/DOCX file", "Word 文档（DOCX）已损坏，无法打开"),
    (r"the Word document cannot be read", "Word 文档（DOCX）已损坏，无法打开"),
    (r"no official document found", "文件中没有公文（找不到公文标题、发文字号或成文日期）"),
    (r"is more than a gazette issue can be", "文件过大，不像一期公报"),
)
NOTHING_STORED = "未保存任何内容。"
INTERNAL_ERROR = "读取时系统出错，未保存任何内容；请将文件交系统管理员检查。"


def reason_in_chinese(error: InputError) -> str:
    """The problem intake names, in Chinese (a message it has no words for is shown as it is)."""
    text = str(error)
    for pattern, reason in _REASONS:
        if re.search(pattern, text):
            return reason
    return f"文件无法读取（{text}）"


class AlreadyRead(Exception):
    def __init__(self, issue: GazetteIssue):
        super().__init__(str(issue))
        self.issue = issue


def already_read_message(issue: GazetteIssue) -> str:
    when = timezone.localtime(issue.ingested_at)
    return f"该公文已读取过（{issue}，{when.year}年{when.month}月{when.day}日读取，内容相同），未重复入库"


def upload_job_create(
    *, actor: AbstractBaseUser, jurisdiction: Jurisdiction, file_name: str, content: bytes
) -> UploadJob:
    """Keep the uploaded file in a new job and queue it for the worker."""
    with transaction.atomic():
        job = UploadJob.objects.create(
            jurisdiction=jurisdiction,
            uploaded_by=actor,
            file_name=(file_name or "上传文件")[:255],
            size=len(content),
            content_hash=content_digest(content),
            content=content,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPLOAD_JOB_CREATE,
            instance=job,
            before=None,
            after={
                "file_name": job.file_name,
                "size": job.size,
                "content_hash": job.content_hash,
                "jurisdiction": jurisdiction.code,
            },
        )
    from duban.ledger.tasks import queue_upload_job

    queue_upload_job(job.pk)
    return job


def _advance(job: UploadJob, **fields: Any) -> None:
    """Write the job's progress at once (outside any transaction of the reading), for the page that polls it."""
    for name, value in fields.items():
        setattr(job, name, value)
    UploadJob.objects.filter(pk=job.pk).update(**fields)


def upload_job_run(*, job_id: int) -> UploadJob:
    """Read the job's file and store it (the worker's work). A job runs once: a job no longer queued
    is returned as it is."""
    job = UploadJob.objects.select_related("jurisdiction", "uploaded_by").get(pk=job_id)
    claimed = UploadJob.objects.filter(pk=job.pk, state=UploadJob.State.QUEUED).update(
        state=UploadJob.State.RUNNING, stage=UploadJob.Stage.READING, progress=5
    )
    if not claimed:
        return job
    job.state, job.stage, job.progress = UploadJob.State.RUNNING, UploadJob.Stage.READING, 5
    content = bytes(job.content)
    try:
        from duban.intake.extract import extract_bytes

        extraction: dict[str, Any] = dict(extract_bytes(content, name=job.file_name))
        documents = list(extraction.get("documents") or [])
        _advance(job, stage=UploadJob.Stage.DOCUMENTS, progress=35, documents=len(documents))
        tasks = [task for document in documents for task in document.get("tasks") or []]
        _advance(job, stage=UploadJob.Stage.TASKS, progress=55, tasks=len(tasks))
        printed = {name for task in tasks for key in ("lead_units", "units") for name in task.get(key) or []}
        resolver = UnitResolver(job.jurisdiction)
        resolved = sum(1 for name in printed if resolver.resolve(name) is not None)
        _advance(job, stage=UploadJob.Stage.UNITS, progress=75, units_printed=len(printed), units_resolved=resolved)
        _advance(job, stage=UploadJob.Stage.STORING, progress=90)
        with transaction.atomic():
            result = issue_ingest(
                actor=job.uploaded_by,
                jurisdiction=job.jurisdiction,
                source_name=job.file_name,
                content=content,
                extraction=extraction,
            )
            if not result.created:
                raise AlreadyRead(result.issue)
            known = f"另有 {result.already_read} 件此前已读取，未重复入库；" if result.already_read else ""
            ocr = f"{Document.OCR_NOTICE}。" if extraction.get("ocr") else ""
            _advance(
                job,
                state=UploadJob.State.DONE,
                stage=UploadJob.Stage.DONE,
                progress=100,
                issue=result.issue,
                documents=result.documents,
                tasks=result.tasks,
                message=f"读取公文 {result.documents} 件，{known}待审核任务 {result.tasks} 项。{ocr}",
                content=b"",
                finished=clock.now(),
            )
    except InputError as error:
        _fail(job, f"{job.file_name}：{reason_in_chinese(error)}；{NOTHING_STORED}")
    except AlreadyRead as already:
        _fail(job, f"{job.file_name}：{already_read_message(already.issue)}；{NOTHING_STORED}")
    except Exception:
        logger.exception("upload job %s failed", job.pk)
        _fail(job, f"{job.file_name}：{INTERNAL_ERROR}")
    return job


def _fail(job: UploadJob, message: str) -> None:
    _advance(
        job,
        state=UploadJob.State.FAILED,
        message=message[:500],
        content=b"",
        finished=clock.now(),
        issue=None,
    )
