"""How well duban reads a scan: corpus texts (../shared/corpus) printed as a 公文 is (python-docx, 三号
Noto Serif CJK, LibreOffice → PDF), rasterised (pdftoppm) and put back together as an image-only PDF
(Pillow) — a scan without a text layer — then read by `extract_file` (OCR) and scored by the corpus's
score.py against the text's gold, beside the same text read directly.

    .venv/bin/python benchmarks/ocr.py                 # `make ocr`: texts 34 and 37, scanned at 300 dpi
    .venv/bin/python benchmarks/ocr.py --docs 40 --dpi 200 --keep /tmp/scans

Needs soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils) and tesseract with chi_sim
(tesseract-ocr, tesseract-ocr-chi-sim): scripts/system-packages test.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import CORPUS, FIELDS, _value, scorer  # noqa: E402
from duban.errors import InputError  # noqa: E402
from duban.intake.extract import extract_file  # noqa: E402

FONT = "Noto Serif CJK SC"


def printed_pdf(text: str, folder: Path) -> Path:
    """The text as a printed 公文: each line a paragraph in 三号 (16 pt) Noto Serif CJK, A4, via LibreOffice."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Cm(3.7),
        Cm(3.5),
        Cm(2.8),
        Cm(2.6),
    )
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for line in text.splitlines():
        document.add_paragraph(line)
    source = folder / "printed.docx"
    document.save(source)
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=300,
    )
    pdf = folder / "printed.pdf"
    if run.returncode != 0 or not pdf.exists():
        raise SystemExit(f"ocr: LibreOffice could not print the text: {run.stderr.decode(errors='replace')}")
    return pdf


def scanned(pdf: Path, dpi: int, folder: Path) -> tuple[Path, int]:
    """The PDF rasterised at ``dpi`` (grey, as a scanner gives) and put together again with no text layer."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(folder / "page")], check=True, timeout=600
    )
    pages = sorted(folder.glob("page-*.png"))
    images = [Image.open(page) for page in pages]
    out = folder / "scan.pdf"
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    out.write_bytes(buffer.getvalue())
    return out, len(pages)


def scores(pred: dict, gold: dict) -> dict[str, float]:
    return {field: round(_value(value), 4) for field, value in scorer()(pred, gold).items() if field in FIELDS}


def measure(stem: str, dpi: int, keep: Path | None) -> dict:
    text_path = CORPUS / "docs" / f"{stem}.txt"
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="duban-ocr-bench-") as name:
        folder = Path(name)
        pdf = printed_pdf(text_path.read_text(encoding="utf-8"), folder)
        scan, pages = scanned(pdf, dpi, folder)
        started = time.perf_counter()
        try:
            pred = extract_file(scan)
        except InputError as error:
            print(f"ocr: {stem}: {error}", file=sys.stderr)
            pred = {"documents": []}
        seconds = time.perf_counter() - started
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(scan, keep / f"{stem}.scan.pdf")
            (keep / f"{stem}.ocr.json").write_text(json.dumps(pred, ensure_ascii=False, indent=2), encoding="utf-8")
    return {
        "pages": pages,
        "seconds": round(seconds, 1),
        "marked": bool(pred.get("ocr")),
        "direct": scores(extract_file(text_path), gold),
        "ocr": scores(pred, gold),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", nargs="+", default=["34", "37"], help="corpus text numbers (default: 34 37)")
    parser.add_argument("--dpi", type=int, default=300, help="the scan's resolution (default 300)")
    parser.add_argument("--keep", type=Path, help="keep the scans and the OCR readings in this folder")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("soffice", "pdftoppm", "tesseract") if shutil.which(tool) is None]
    if missing:
        print(f"ocr: missing {', '.join(missing)}: run scripts/system-packages test", file=sys.stderr)
        return 2
    results = {}
    for number in args.docs:
        stems = sorted(path.stem for path in (CORPUS / "docs").glob(f"{number}_*.txt"))
        if not stems:
            print(f"ocr: no corpus text {number}", file=sys.stderr)
            return 2
        results[stems[0]] = measure(stems[0], args.dpi, args.keep)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"scanned at {args.dpi} dpi, read by OCR vs the same text read directly (F1 per field)")
    print(f"{'document':<44} {'reading':<7} " + " ".join(f"{f:>10}" for f in FIELDS))
    for stem, result in results.items():
        for reading in ("direct", "ocr"):
            row = result[reading]
            print(f"{stem:<44} {reading:<7} " + " ".join(f"{row[f]:>10.2f}" for f in FIELDS))
        marked = "marked ocr" if result["marked"] else "NOT MARKED"
        print(f"{'':<44} {result['pages']} pages, OCR {result['seconds']} s, {marked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
