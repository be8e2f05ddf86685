"""Whole instances of duban for the backup tests: a database and a MEDIA_ROOT of their own, driven
through the command line in subprocesses, as an operator would.

    python -m tests.ops.backup_instances load       # the demo, plus progress reports with attachments
    python -m tests.ops.backup_instances snapshot   # what must survive a round trip, as JSON

Both run against the instance named by DATABASE_URL and DUBAN_MEDIA_ROOT.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from duban import PROJECT_DIR

FIXTURES = PROJECT_DIR / "tests" / "fixtures" / "documents"
STORY_DAY = "2020-12-10"  # demo/story.yaml: the demo is loaded on its own date


@dataclass
class Instance:
    """An instance: its DATABASE_URL and its MEDIA_ROOT."""

    database_url: str
    media_root: Path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DUBAN_MEDIA_ROOT=str(self.media_root),
            DUBAN_TODAY=STORY_DAY,
            DJANGO_SETTINGS_MODULE="duban.web.settings",
            PYTHONPATH=str(PROJECT_DIR),
        )
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=PROJECT_DIR, env=self.env(), capture_output=True, text=True, timeout=600
        )

    def duban(self, *args: str | Path) -> subprocess.CompletedProcess:
        return self.run("-m", "duban.cli", *map(str, args))

    def checked(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def migrate(self) -> None:
        self.checked("manage.py", "migrate", "--noinput", "-v0")

    def load(self) -> None:
        self.checked("-m", "tests.ops.backup_instances", "load")

    def snapshot(self) -> dict:
        return json.loads(self.checked("-m", "tests.ops.backup_instances", "snapshot"))


# --- run inside an instance ----------------------------------------------------------------------


def attachments() -> list[tuple[str, bytes]]:
    """Real files of the types the ledger keeps (names in Chinese, bytes not all text)."""
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.frombytes("RGB", (16, 16), bytes(range(256)) * 3).save(image, format="PNG")
    return [
        ("整治方案（新乡）.pdf", (FIXTURES / "xinxiang-notice.pdf").read_bytes()),
        ("任务分解表.docx", (FIXTURES / "nanyang-plan-with-task-table.docx").read_bytes()),
        ("现场照片.png", image.getvalue()),
        ("进展说明.txt", "十二月进展：已完成入户走访 1,204 户。\n".encode()),
    ]


def load() -> None:
    """The demo (duban.web.demo.load_demo), then December's reports on three tasks with attachments."""
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duban.accounts.models import Person
    from duban.ledger import services
    from duban.ledger.models import Task
    from duban.web.demo import load_demo

    load_demo()
    today = dt.date.fromisoformat(STORY_DAY)
    files = attachments()
    made = 0
    for task in Task.objects.filter(done_on__isnull=True).order_by("id"):
        for assignment in task.assignments.filter(unit__isnull=False).select_related("unit").order_by("id"):
            liaison = Person.objects.filter(unit=assignment.unit, role=Person.Role.LIAISON, user__isnull=False).first()
            if liaison is None:
                continue
            share = files[made % len(files) :] + files[: made % len(files)]
            uploads = [SimpleUploadedFile(name, content) for name, content in share[: 2 + made % 3]]
            try:
                services.progress_report_create(
                    actor=liaison.user,
                    task=task,
                    unit=assignment.unit,
                    text="十二月进展，附件见后",
                    percent=90,
                    attachments=uploads,
                    reported_on=today,
                    today=today,
                )
            except ValidationError:
                continue
            made += 1
            break
        if made == 3:
            return
    raise SystemExit(f"only {made} reports with attachments could be made")


def plain(value):
    """A value as JSON: a model instance by its class and primary key."""
    from django.db import models

    if isinstance(value, models.Model):
        return f"{value._meta.label}#{value.pk}"
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def snapshot() -> dict:
    """What a restore must give back unchanged: every jurisdiction's monthly rankings and annual
    assessment (duban.scoring.selectors), the score ledger's and the audit log's rows, the
    attachments' bytes, and the row count of every table."""
    from django.db import connection

    from duban.accounts.models import AuditLog, Jurisdiction
    from duban.ledger.models import ClosureAttachment, ProgressAttachment
    from duban.scoring.models import ConsequenceEntry
    from duban.scoring.selectors import annual_assessment, monthly_ranking, person_consequences

    jurisdictions = {}
    for jurisdiction in Jurisdiction.objects.order_by("code"):
        jurisdictions[jurisdiction.code] = {
            "rankings": {
                f"2020-{month:02}": plain(monthly_ranking(jurisdiction, f"2020-{month:02}")) for month in range(1, 13)
            },
            "assessment": plain(annual_assessment(jurisdiction, 2020)),
            "people": plain(person_consequences(jurisdiction, 2020)),
        }
    files = []
    kept = [("report", a.report_id, a) for a in ProgressAttachment.objects.order_by("id")]
    kept += [("closure", a.request_id, a) for a in ClosureAttachment.objects.order_by("id")]  # 办结佐证材料
    for kind, owner, attachment in kept:
        with attachment.file.open("rb") as handle:
            content = handle.read()
        files.append(
            {
                "id": attachment.pk,
                kind: owner,
                "name": attachment.name,
                "path": attachment.file.name,
                "size": attachment.size,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": base64.b64encode(content).decode(),
            }
        )
    with connection.cursor() as cursor:
        tables = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            tables[table] = cursor.fetchone()[0]
    return {
        "jurisdictions": jurisdictions,
        "score_ledger": list(ConsequenceEntry.objects.order_by("id").values()),
        "audit": list(AuditLog.objects.order_by("id").values()),
        "attachments": files,
        "tables": tables,
    }


def main(command: str) -> None:
    from duban.bootstrap import setup_django

    setup_django()
    if command == "load":
        load()
    elif command == "snapshot":
        from django.core.serializers.json import DjangoJSONEncoder

        print(json.dumps(snapshot(), cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1])
