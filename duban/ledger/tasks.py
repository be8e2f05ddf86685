"""The ledger's background jobs, run by the huey worker (``manage.py run_huey``; README, "The upload worker").

The queue is a SQLite file of its own (settings.HUEY), so it needs no other server. With
``HUEY["immediate"]`` (the test suite) a job runs at once, in the caller's process. The worker's
scheduler (``HUEY["consumer"]["periodic"]``) starts the daily run (duban/ledger/daily.py) every morning,
and once when the worker starts, so a day the worker was down is caught up (the run is idempotent).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, on_startup

# Huey reads crontabs in UTC: 22:30 UTC is 06:30 in Beijing (Asia/Shanghai has no daylight saving).
DAILY_AT = crontab(minute="30", hour="22")


@db_periodic_task(DAILY_AT, name="ledger.run_daily")
def daily_run() -> int:
    """Every registered daily job for every jurisdiction, on duban's today; returns how many were made."""
    from duban.ledger.daily import run_daily

    return sum(run.made for run in run_daily())


@on_startup(name="ledger.daily_catch_up")
def _catch_up() -> None:
    daily_run()  # queued, not run here: the worker picks it up like any job


@db_task(name="ledger.read_upload")
def read_upload(job_id: int) -> None:
    from duban.ledger.uploads import upload_job_run

    upload_job_run(job_id=job_id)


def queue_upload_job(job_id: int) -> None:
    """Queue the job after the transaction that made it commits (at once in immediate mode, where the
    job runs in this same connection and sees it)."""
    if HUEY.immediate:
        read_upload(job_id)
        return
    from django.db import transaction

    transaction.on_commit(lambda: read_upload(job_id))
