"""Issue 9, section 1, in chromium: the office uploads the seed gazette, watches the worker read it (a real
`run_huey` process, as `make demo` runs it), reviews the drafts, then searches the 公文库; a file that is
no 公文 and the same file again are refused in Chinese. Screenshots land in var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.accounts.services import person_create, unit_directory_load
from duban.ledger.models import Document, Task, UploadJob
from tests.factories import city_create, login_create

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
SHOTS = ROOT / "var" / "screenshots"
PASSWORD = "pw-upload-2020"


@pytest.fixture
def shot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def refusals(page):
    """The Content-Security-Policy's refusals the browser's console reports, and the failed requests (the
    status view's, a script's) other than the favicon the site has none of."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.on(
        "response",
        lambda r: found.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
    )
    return found


def test_the_office_uploads_the_gazette_reviews_it_and_searches_the_library(page, shot, refusals, worker, tmp_path):
    city = city_create()
    unit_directory_load(actor=None, jurisdiction=city)
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    login_create("duchashi", person, password=PASSWORD, first_name="周静")

    page.goto("/login/")
    page.fill("#id_username", "duchashi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")

    # 1. 上传公文: the seed gazette, into the city.
    page.click("nav >> text=公文审核")
    page.click("a.button:has-text('上传公文')")
    page.wait_for_url("**/ledger/upload/")
    page.set_input_files("#id_file", str(SEED))
    shot("upload-1-form")
    page.click("button:has-text('上传并读取')")
    page.wait_for_url("**/ledger/upload/*/")
    assert page.locator("progress").count() == 1
    shot("upload-2-progress")

    # 2. The worker reads it; the page follows and lands on 公文审核.
    page.wait_for_selector("[data-upload-job][data-state=done]", timeout=60_000)
    shot("upload-3-done")
    page.wait_for_url("**/ledger/review/**", timeout=15_000)
    job = UploadJob.objects.get()
    assert job.state == UploadJob.State.DONE and job.tasks == 66
    assert Task.objects.filter(status=Task.Status.DRAFT).count() == 66
    first = Document.objects.filter(issue=job.issue).order_by("position").first()
    assert page.url.endswith(f"#doc-{first.pk}")
    assert "待审核 66 项" in page.content()
    shot("upload-4-review")

    # 3. The office confirms a document's resolvable drafts.
    section = page.locator("section.doc").filter(has=page.locator("button:has-text('确认本文全部可确认任务')")).first
    section.locator("button:has-text('确认本文全部可确认任务')").click()
    page.wait_for_url("**/ledger/review/**")
    assert Task.objects.filter(status=Task.Status.CONFIRMED).exists()
    shot("upload-5-reviewed")

    # 4. The 公文库: the issue with its 目录, a search by a unit's short name, the document's full text.
    page.click("nav >> text=公文库")
    page.wait_for_url("**/ledger/library/")
    shot("library-1-index")
    page.fill("input[name=q]", "卫健体委")
    page.click("form.library-search button[type=submit]")
    page.wait_for_url("**/ledger/library/?q=*")
    assert page.locator("article.hit mark").count() > 0
    shot("library-2-search")
    page.locator("article.hit h4 a").first.click()
    page.wait_for_url("**/ledger/library/documents/**")
    assert page.locator(".full-text mark").count() > 0
    shot("library-3-document")
    page.goto(f"/ledger/library/issues/{job.issue_id}/")
    assert "目录" in page.content()
    shot("library-4-issue")

    # 5. Refused in Chinese, nothing stored: the same file again, and a file that is no 公文.
    documents = Document.objects.count()
    page.goto("/ledger/upload/")
    page.set_input_files("#id_file", str(SEED))
    page.click("button:has-text('上传并读取')")
    page.wait_for_load_state()
    assert "该文件已读取过" in page.content()
    shot("upload-6-already-read")
    junk = tmp_path / "会议室预订表.txt"
    junk.write_text("会议室预订表\n周一上午 张三\n周二下午 李四\n周三全天 王五\n周四上午 赵六\n周五下午 钱七\n")
    page.set_input_files("#id_file", str(junk))
    page.click("button:has-text('上传并读取')")
    page.wait_for_selector("[data-upload-job][data-state=failed]", timeout=60_000)
    assert "文件中没有公文" in page.locator("[data-job-message]").inner_text()
    shot("upload-7-not-a-document")
    assert Document.objects.count() == documents
    assert refusals == []
