"""`duban ingest FILE`: read a gazette (or one document) into the ledger as draft tasks."""

from __future__ import annotations

import argparse
from pathlib import Path

from duban.bootstrap import setup_django
from duban.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser("ingest", help="读取公报入库：公文全文与待审核任务")
    ingest.add_argument("file", help="gazette or document (txt, pdf, docx)")
    ingest.add_argument("--jurisdiction", help="jurisdiction code (default: the city)")
    ingest.set_defaults(handler=run_ingest)

    search = subparsers.add_parser("search", help="公文全文检索")
    search.add_argument("query")
    search.add_argument("--jurisdiction", help="jurisdiction code (default: the city)")
    search.set_defaults(handler=run_search)


def _jurisdiction(code: str | None):
    from duban.accounts.selectors import jurisdiction_for_command

    return jurisdiction_for_command(code)


def run_ingest(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ledger.ingest import issue_ingest

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    result = issue_ingest(
        actor=None, jurisdiction=_jurisdiction(args.jurisdiction), source_name=path.name, content=content
    )
    if not result.created:
        print(f"{path.name}：已读取过（{result.issue}，内容相同），未作改动。")
        return 0
    known = f"另有 {result.already_read} 件此前已读取，未重复入库；" if result.already_read else ""
    print(f"{path.name}：读取公文 {result.documents} 件，{known}待审核任务 {result.tasks} 项。")
    if result.unresolved:
        print(f"未能对应到机构名录的单位 {len(result.unresolved)} 个：{'、'.join(result.unresolved)}")
    return 0


def run_search(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ledger.models import Document
    from duban.ledger.search import search_documents

    jurisdiction = _jurisdiction(args.jurisdiction)
    for document in search_documents(args.query, Document.objects.filter(jurisdiction=jurisdiction)):
        print(f"{document.doc_no or '—'}\t{document.title}")
    return 0
