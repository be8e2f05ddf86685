"""`duban extract FILE [--format json]`: read a gazette issue or document and print what it holds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duban.intake.directory import UnitDirectory
    from duban.intake.extract import Extraction


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="读取公报或公文（txt/pdf/docx/doc/wps，扫描件和图片经 OCR），输出文件、任务、目标和时限",
        description="Read a gazette issue or an official document and print its documents, tasks, targets and deadlines.",
    )
    parser.add_argument("file", help="text (UTF-8/GB18030), PDF, DOCX, .doc/.wps (LibreOffice) or a scan/image (OCR)")
    parser.add_argument("--format", choices=("json", "text"), default="text", help="json: the machine contract")
    parser.add_argument("--directory", help="unit directory YAML to resolve unit aliases (default: by jurisdiction)")
    parser.add_argument("--no-directory", action="store_true", help="do not resolve unit names")
    parser.set_defaults(handler=handle_extract)


def handle_extract(args: argparse.Namespace) -> int:
    from duban.intake.directory import load_directory
    from duban.intake.extract import extract_file

    directory: UnitDirectory | bool = True
    if args.no_directory:
        directory = False
    elif args.directory:
        directory = load_directory(Path(args.directory))
    result = extract_file(args.file, directory=directory)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(result))
    return 0


def render_text(result: Extraction) -> str:
    """A short human summary (the JSON is the contract; this is for reading on a terminal)."""
    out = [f"{result['source']}: {len(result['documents'])} 件"]
    if result.get("ocr"):
        pages = "、".join(str(n) for n in result.get("ocr_pages") or [])
        out.append(f"本文件经文字识别（OCR）读取（第 {pages} 页），请对照原件核对")
    for document in result["documents"]:
        head = " ".join(
            str(x) for x in (document["doc_no"] or "—", document["kind"] or "", document["date"] or "") if x
        )
        out.append(f"\n{document['title']}\n  {head}  {document['issuer'] or ''}")
        if document.get("attachment_of"):
            out.append(f"  附件，属 {document['attachment_of']}")
        for task in document["tasks"]:
            units = "、".join(task["lead_units"]) + ("（牵头）" if task["lead_units"] else "")
            units += ("；" if task["lead_units"] and task["units"] else "") + "、".join(task["units"])
            out.append(f"  [{task['ref']}] {task['title']} — {units}")
            for target in task["targets"]:
                out.append(
                    f"      目标 {target['year']} {target['indicator']} {target['comparator']} {target['value']}{target['unit']}"
                )
            for deadline in task["deadlines"]:
                out.append(f"      时限 {deadline['date']}（{deadline['text']}）")
        for target in document["targets"]:
            out.append(
                f"  目标 {target['year']} {target['indicator']} {target['comparator']} {target['value']}{target['unit']}"
            )
        for deadline in document["deadlines"]:
            out.append(f"  时限 {deadline['date']}（{deadline['text']}）")
    return "\n".join(out) + "\n"
