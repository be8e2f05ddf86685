"""The ledger's document pages: 上传公文 (a background job with its progress) and the 公文库 (issues with
their 目录, documents with their full text and tasks, Chinese full-text search). Thin: check access
(ledger.access), parse the input, call a service (duban.ledger.uploads) or a read (duban.ledger.library).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from duban.accounts.access import request_jurisdiction, require
from duban.inputs import parse_year, visible_text
from duban.ledger import access, library
from duban.ledger.forms import UploadForm
from duban.ledger.models import UploadJob
from duban.ledger.search import highlight, library_query, snippet_html
from duban.ledger.uploads import upload_job_create
from duban.web.paging import paginate

PER_PAGE = 20
STAGES = [
    (UploadJob.Stage.READING, "读取文件"),
    (UploadJob.Stage.DOCUMENTS, "识别公文"),
    (UploadJob.Stage.TASKS, "识别任务"),
    (UploadJob.Stage.UNITS, "对应单位"),
]
_STAGE_ORDER = [s.value for s in UploadJob.Stage]


# --- 上传公文 ------------------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    jurisdictions = access.upload_jurisdictions(request.user)
    require(jurisdictions.exists())
    data = request.POST if request.method == "POST" else None
    initial_jurisdiction = request_jurisdiction(request)
    form = UploadForm(
        data,
        request.FILES if data is not None else None,
        jurisdictions=jurisdictions,
        initial={"jurisdiction": initial_jurisdiction.pk if initial_jurisdiction else None},
    )
    if data is not None and form.is_valid():
        jurisdiction = form.cleaned_data["jurisdiction"]
        require(access.access_upload(request.user, jurisdiction))
        upload_file = form.cleaned_data["file"]
        job = upload_job_create(
            actor=request.user,
            jurisdiction=jurisdiction,
            file_name=visible_text(upload_file.name) or "上传文件",
            content=upload_file.read(),
        )
        messages.success(request, f"已上传 {job.file_name}，正在读取。")
        return redirect("ledger:upload_job", pk=job.pk)
    if data is not None and not form.errors:
        form.add_error(None, "未能上传，请重新选择文件")
    jobs = UploadJob.objects.filter(jurisdiction__in=jurisdictions).select_related("issue", "jurisdiction")[:10]
    return render(request, "ledger/upload.html", {"form": form, "jobs": jobs})


def _job_state(job: UploadJob) -> dict:
    current = _STAGE_ORDER.index(job.stage) if job.stage in _STAGE_ORDER else 0
    next_url = ""
    if job.state == UploadJob.State.DONE and job.issue_id:
        first = job.issue.documents.order_by("position", "pk").first() if job.issue else None
        next_url = reverse("ledger:review") + (f"#doc-{first.pk}" if first else "")
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "stage": job.stage,
        "stage_label": job.get_stage_display(),
        "progress": job.progress,
        "documents": job.documents,
        "tasks": job.tasks,
        "units_printed": job.units_printed,
        "units_resolved": job.units_resolved,
        "message": job.message,
        "finished": job.state in (UploadJob.State.DONE, UploadJob.State.FAILED),
        "stages": [
            {
                "code": code,
                "label": label,
                "done": job.state == UploadJob.State.DONE or _STAGE_ORDER.index(code) < current,
                "current": code == job.stage and job.state == UploadJob.State.RUNNING,
            }
            for code, label in STAGES
        ],
        "next_url": next_url,
        "issue_url": reverse("ledger:library_issue", args=[job.issue_id]) if job.issue_id else "",
    }


@login_required
@require_GET
def upload_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.access_upload_job_by_id(request.user, pk)
    return render(request, "ledger/upload_job.html", {"job": job, "status": _job_state(job)})


@login_required
@require_GET
def upload_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's state for the progress page's script (ledger/upload.js), polled while it runs."""
    job = access.access_upload_job_by_id(request.user, pk)
    state = _job_state(job)
    return JsonResponse(state, json_dumps_params={"ensure_ascii": False})


# --- 公文库 --------------------------------------------------------------------------------------------


def _library_jurisdiction(request: HttpRequest):
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_library(request.user, jurisdiction))
    return jurisdiction


def _filters(request: HttpRequest, choices: dict) -> tuple[library.LibraryFilters, list[str]]:
    problems = []
    q = visible_text(request.GET.get("q", ""))[:100]
    issuer = request.GET.get("issuer", "")
    kind = request.GET.get("kind", "")
    year_text = request.GET.get("year", "")
    year = parse_year(year_text) if year_text else None
    if year_text and year is None:
        problems.append(f"年份“{year_text[:20]}”无效")
    if issuer and issuer not in choices["issuers"]:
        problems.append(f"发文机关“{issuer[:40]}”不在公文库中")
        issuer = ""
    if kind and kind not in choices["kinds"]:
        problems.append(f"文种“{kind[:20]}”不在公文库中")
        kind = ""
    return library.LibraryFilters(q=q, issuer=issuer, year=year, kind=kind), problems


@login_required
@require_GET
def library_index(request: HttpRequest) -> HttpResponse:
    jurisdiction = _library_jurisdiction(request)
    choices = library.filter_choices(jurisdiction)
    filters, problems = _filters(request, choices)
    result = library.library_documents(jurisdiction, filters)
    page = paginate(request, result.documents, per_page=PER_PAGE)
    rows = [
        {"document": d, "snippet": snippet_html(d, result.terms) if result.query is not None else ""}
        for d in page.object_list
    ]
    return render(
        request,
        "ledger/library.html",
        {
            "jurisdiction": jurisdiction,
            "filters": filters,
            "choices": choices,
            "problems": problems,
            "page": page,
            "rows": rows,
            "issues": library.issues_of(jurisdiction)[:12] if not filters.any else [],
            "can_upload": access.access_upload(request.user, jurisdiction),
        },
    )


@login_required
@require_GET
def library_issues(request: HttpRequest) -> HttpResponse:
    jurisdiction = _library_jurisdiction(request)
    page = paginate(request, library.issues_of(jurisdiction), per_page=PER_PAGE)
    return render(request, "ledger/library_issues.html", {"jurisdiction": jurisdiction, "page": page})


@login_required
@require_GET
def library_issue(request: HttpRequest, pk: int) -> HttpResponse:
    issue = access.access_library_issue_by_id(request.user, pk)
    documents = list(library.issue_documents(issue))
    return render(
        request,
        "ledger/library_issue.html",
        {
            "issue": issue,
            "documents": documents,
            "counts": library.issue_task_counts(issue),
            "ocr": any(document.ocr for document in documents),
        },
    )


@login_required
@require_GET
def library_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_library_document_by_id(request.user, pk)
    q = visible_text(request.GET.get("q", ""))[:100]
    terms = library_query(q, document.jurisdiction).terms if q else []
    return render(
        request,
        "ledger/library_document.html",
        {
            "document": document,
            "full_text": highlight(document.full_text, terms) if terms else document.full_text,
            "tasks": list(library.document_tasks(document)),
            "attachments": list(document.attachments.order_by("position")),
            "q": q,
        },
    )
