"""How long `duban backup` and `duban restore` take on the demo (load_demo, plus three progress
reports with nine attachments), on the database DATABASE_URL names: SQLite by default, PostgreSQL
under scripts/with-postgres (the demo then goes into databases of its own on that server).

    .venv/bin/python benchmarks/bench_backup.py                          # SQLite
    scripts/with-postgres .venv/bin/python benchmarks/bench_backup.py    # PostgreSQL
    .venv/bin/python benchmarks/bench_backup.py --runs 5

Prints, per run, the wall-clock seconds of each command (a whole `duban` process: Python and
Django start-up included) and the seconds the command itself reports, then the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ops.backup_instances import Instance

REPORTED = re.compile(r"用时 ([\d.]+) 秒")


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def new_database(base: Path, label: str, made: list[str]) -> str:
    server = postgres_url()
    if server is None:
        return f"sqlite:///{base / f'{label}.sqlite3'}"
    import psycopg

    name = f"duban_bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    made.append(name)
    return server.rsplit("/", 1)[0] + "/" + name


def timed(instance: Instance, *args) -> tuple[float, float]:
    started = time.monotonic()
    result = instance.duban(*args)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    reported = REPORTED.search(result.stdout)
    return wall, float(reported.group(1)) if reported else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    engine = "PostgreSQL" if postgres_url() else "SQLite"
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            source = Instance(database_url=new_database(base, "source", made), media_root=base / "media")
            print(f"{engine}: loading the demo …", flush=True)
            source.migrate()
            source.load()
            backups, restores = [], []
            for run in range(runs):
                backup = base / "backups" / f"run-{run}"
                backups.append(timed(source, "backup", backup))
                target = Instance(
                    database_url=new_database(base, f"target{run}", made), media_root=base / f"media-{run}"
                )
                restores.append(timed(target, "restore", backup))
                size = sum(p.stat().st_size for p in backup.rglob("*") if p.is_file())
                print(
                    f"run {run + 1}: backup {backups[-1][0]:.2f} s (reported {backups[-1][1]:.2f} s), "
                    f"restore {restores[-1][0]:.2f} s (reported {restores[-1][1]:.2f} s), {size / 1024:.0f} KB"
                )
            for label, values in (("backup", backups), ("restore", restores)):
                print(
                    f"{engine} {label}: median {statistics.median(v[0] for v in values):.2f} s wall-clock, "
                    f"{statistics.median(v[1] for v in values):.2f} s reported by duban"
                )
    finally:
        server = postgres_url()
        if server and made:
            import psycopg

            with psycopg.connect(server, autocommit=True) as db:
                for name in made:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
