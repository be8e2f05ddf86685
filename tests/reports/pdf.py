"""Word documents as the office will print them: rendered to PDF by LibreOffice headless, measured with
pdfplumber, and turned into PNG pages (pdftoppm) kept under artifacts/documents/ for a person to look at.

LibreOffice runs with a profile of its own per call (-env:UserInstallation), so that test workers can render
at the same time, and with fontconfig reading duban's aliases (duban/reports/fonts/duban-cjk.conf), so that
the 公文 fonts the documents name (仿宋_GB2312, 方正小标宋简体 …) are drawn with Noto CJK as on the server."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from duban.reports.docx import DEFAULT_TEMPLATES_DIR

PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = PROJECT_DIR / "artifacts" / "documents"
FONTS_CONF = DEFAULT_TEMPLATES_DIR.parent / "fonts" / "duban-cjk.conf"
MM_PER_POINT = 25.4 / 72
# Chinese typesetting lets a line's closing punctuation hang past the right edge (Word's 允许标点溢出边界,
# LibreOffice's hanging punctuation): the right edge of the text is measured on the other characters.
HANGING = set("，。、；：？！”’）》〕」』")


def soffice_available() -> bool:
    return shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None


def _fontconfig_file(folder: Path) -> Path:
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <include>{FONTS_CONF}</include>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def docx_to_pdf(content: bytes, tmp_path: Path, name: str = "document") -> Path:
    """`content` (a .docx) as a PDF under tmp_path, through `soffice --headless --convert-to pdf`."""
    return docxs_to_pdfs({name: content}, tmp_path)[name]


def docxs_to_pdfs(documents: dict[str, bytes], tmp_path: Path) -> dict[str, Path]:
    """Several .docx (name → bytes) as PDFs under tmp_path, in one run of LibreOffice (it starts in seconds)."""
    folder = Path(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, content in documents.items():
        source = folder / f"{name}.docx"
        source.write_bytes(content)
        sources.append(str(source))
    profile = folder / "soffice-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_file(folder)), "HOME": str(folder)}
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), *sources]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    pdfs = {name: folder / f"{name}.pdf" for name in documents}
    missing = [name for name, pdf in pdfs.items() if not pdf.is_file()]
    if missing:
        raise AssertionError(
            f"soffice wrote no PDF of {missing} (exit {result.returncode}): {result.stdout} {result.stderr}"
        )
    return pdfs


@dataclass(frozen=True)
class PageBox:
    """A page's size and the box its text fills, in millimetres (text_* None on an empty page)."""

    width: float
    height: float
    text_left: float | None
    text_top: float | None
    text_right: float | None
    text_bottom: float | None


@dataclass(frozen=True)
class PdfFacts:
    pages: list[PageBox]
    text: str
    lines: list[list[str]]  # per page, the text of each line (by the characters' tops), page numbers included
    fonts: set[str]

    @property
    def page_count(self) -> int:
        return len(self.pages)


def pdf_facts(pdf: Path) -> PdfFacts:
    pages, lines, texts, fonts = [], [], [], set()
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            fonts.update(c["fontname"].split("+", 1)[-1] for c in chars)
            if chars:
                box = PageBox(
                    width=float(page.width) * MM_PER_POINT,
                    height=float(page.height) * MM_PER_POINT,
                    text_left=min(c["x0"] for c in chars) * MM_PER_POINT,
                    text_top=min(c["top"] for c in chars) * MM_PER_POINT,
                    text_right=max((c["x1"] for c in chars if c["text"] not in HANGING), default=0) * MM_PER_POINT,
                    text_bottom=max(c["bottom"] for c in chars) * MM_PER_POINT,
                )
            else:
                box = PageBox(
                    float(page.width) * MM_PER_POINT, float(page.height) * MM_PER_POINT, None, None, None, None
                )
            pages.append(box)
            rows: dict[int, list[dict]] = {}
            for char in chars:
                rows.setdefault(round(char["bottom"]), []).append(char)
            lines.append(
                ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for _, row in sorted(rows.items())]
            )
            texts.append(page.extract_text() or "")
    return PdfFacts(pages=pages, text="\n".join(texts), lines=lines, fonts=fonts)


def pdf_to_pngs(pdf: Path, out_dir: Path | None = None, *, first: int = 1, last: int = 3, dpi: int = 80) -> list[Path]:
    """The first pages of `pdf` as PNG files in out_dir (default artifacts/documents/), named after the PDF."""
    out = Path(out_dir) if out_dir is not None else ARTIFACTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(out / pdf.stem)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out.glob(f"{pdf.stem}-*.png"))
