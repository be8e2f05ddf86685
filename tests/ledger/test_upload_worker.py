"""A real worker process (`manage.py run_huey`, as `make demo` and production run it) picks an upload up
from the queue file and reads it into the database the test sees; the rest of the suite runs the queue
at once, in the test's own process (tests/settings.py). The `worker` fixture is tests/conftest.py's."""

from __future__ import annotations

import time

import pytest

from duban.accounts.services import person_create, unit_directory_load
from duban.ledger.models import Task, UploadJob
from duban.ledger.uploads import upload_job_create
from tests.factories import city_create, login_create

NOTICE = (
    "驻马店市人民政府办公室关于做好殡葬改革工作的通知\n驻政办〔2020〕30号\n\n各县区人民政府，市人民政府各部门：\n"
    "一、开展公墓清理整治。2020年6月30日前完成整治。（牵头单位：市民政局；责任单位：市卫健体委）\n\n"
    "驻马店市人民政府办公室\n2020年5月10日\n"
)


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_picks_the_upload_up_and_reads_it(worker):
    city = city_create()
    unit_directory_load(actor=None, jurisdiction=city)
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    office = login_create("office", person, password="pw-12345678")
    job = upload_job_create(actor=office, jurisdiction=city, file_name="通知.txt", content=NOTICE.encode())
    assert UploadJob.objects.get(pk=job.pk).state == UploadJob.State.QUEUED  # queued, not run here
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        job.refresh_from_db()
        if job.state in (UploadJob.State.DONE, UploadJob.State.FAILED):
            break
        time.sleep(0.2)
    if worker.poll() is not None:
        pytest.fail(f"the worker stopped: {worker.stdout.read()}")
    assert job.state == UploadJob.State.DONE, job.message
    assert Task.objects.filter(document__issue=job.issue, status=Task.Status.DRAFT).count() == 1
