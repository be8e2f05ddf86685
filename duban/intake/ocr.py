"""Scanned pages and images to text: Debian's tesseract-ocr with the chi_sim language data, called
directly (a subprocess with a timeout); PDF pages rendered by pdftoppm (poppler-utils).

What OCR gives back is tidied in a few general ways (``tidy_ocr_text``): the spaces tesseract puts
between Chinese characters go, half-width punctuation printed beside Chinese text becomes the
full-width form the rest of intake reads, and a few confusions that can only be wrong are put
right (a letter O inside a number, 曰 for 日 in a date). Anything missing — the program, the
language data — is an InputError naming the Debian package to install.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from duban.errors import InputError
from duban.intake.tools import find_tool, run_tool

# At most this many pages (PDF pages or image frames) are read by OCR in one file.
MAX_OCR_PAGES = 40
TESSERACT_TIMEOUT = 120  # seconds, per page
RENDER_TIMEOUT = 60  # seconds, per page
# Pages are rendered at 200 dpi (a 公文's 三号 characters are then some 44 pixels high, which
# tesseract reads better than the larger ones of 300 dpi), a large page at fewer dots per inch.
PAGE_DPI = 200
PAGE_PIXELS = 4000  # the long side at most
# Page segmentation: one block of text, line by line. A 公文 is printed in one column (GB/T 9704);
# tesseract's automatic layout (3) drops characters at line ends and finds "vertical text" in it.
PSM = "6"

TESSERACT_PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
POPPLER_PACKAGE = "poppler-utils"

IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def image_kind(data: bytes) -> str | None:
    """PNG, JPEG, TIFF or BMP by the file's magic bytes; None for anything else."""
    for signature, kind in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return kind
    # BMP: "BM", then a header whose size is one of the known DIB header sizes.
    if (
        data.startswith(b"BM")
        and len(data) > 18
        and int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 64, 108, 124)
    ):
        return "BMP"
    return None


def tesseract_path() -> str:
    """tesseract with the chi_sim language data, or InputError naming the packages."""
    path = find_tool("tesseract")
    if path is None:
        raise InputError(
            f"reading scans and images needs OCR: tesseract is not installed (Debian: apt-get install {TESSERACT_PACKAGES})"
        )
    listed = run_tool([path, "--list-langs"], 30, "listing tesseract's languages", "tesseract")
    languages = {line.strip() for line in listed.stdout.decode("utf-8", "replace").splitlines()}
    if "chi_sim" not in languages:
        raise InputError(
            "reading scans and images needs OCR: tesseract has no Chinese language data chi_sim "
            "(Debian: apt-get install tesseract-ocr-chi-sim)"
        )
    return path


def _too_many(name: str, count: int) -> InputError:
    return InputError(
        f"{name}: {count} scanned pages to read by OCR, more than {MAX_OCR_PAGES} at most; split the file"
    )


def ocr_png(path: Path, tesseract: str, name: str) -> str:
    """The text tesseract reads on one page image, a paragraph per line (``paragraphs``)."""
    command = [tesseract, str(path), "stdout", "-l", "chi_sim", "--psm", PSM, "tsv"]
    run = run_tool(command, TESSERACT_TIMEOUT, "OCR of a page", name)
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{name}: OCR failed ({detail[-1] if detail else 'tesseract exit ' + str(run.returncode)})")
    return tidy_ocr_text(paragraphs(run.stdout.decode("utf-8", "replace")))


# A line that starts a numbered item or a chapter starts a paragraph, however full the line before.
_ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、．.]|第[一二三四五六七八九十百]+[章节条])"
)


def paragraphs(tsv: str) -> str:
    """Printed lines put back into paragraphs, from tesseract's TSV (words with their boxes): a line that
    runs to the right edge of the text (within a character and a half) was wrapped, and the next line
    continues it — unless that one is indented (a first-line indent) or starts a numbered item."""
    lines: dict[tuple[str, ...], list[str]] = {}
    boxes: dict[tuple[str, ...], tuple[int, int, int]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[0].isdigit():
            continue
        key = tuple(cells[1:5])
        if cells[0] == "4":
            left, width, height = int(cells[6]), int(cells[8]), int(cells[9])
            boxes[key] = (left, left + width, height)
        elif cells[0] == "5" and cells[11].strip():
            lines.setdefault(key, []).append(cells[11].strip())
    ordered = [(boxes[key], " ".join(words)) for key, words in lines.items() if key in boxes]
    if not ordered:
        return ""
    heights = sorted(box[2] for box, _ in ordered)
    char = heights[len(heights) // 2]
    left_edge = min(box[0] for box, _ in ordered)
    right_edge = max(box[1] for box, _ in ordered)
    out: list[str] = []
    wrapped = False
    for (left, right, _), text in ordered:
        continues = wrapped and left < left_edge + 1.5 * char and not _ITEM_START.match(text.replace(" ", ""))
        if continues:
            out[-1] += " " + text
        else:
            out.append(text)
        wrapped = right >= right_edge - 1.5 * char
    return "\n".join(out)


def ocr_pdf_pages(data: bytes, pages: Sequence[int], name: str, longest: Sequence[float] = ()) -> dict[int, str]:
    """{page number (1-based): text} for the given pages of a PDF, rendered by pdftoppm; ``longest``:
    each page's long side in points (all pages of the PDF, in order), to render large pages smaller."""
    if len(pages) > MAX_OCR_PAGES:
        raise _too_many(name, len(pages))
    tesseract = tesseract_path()
    pdftoppm = find_tool("pdftoppm")
    if pdftoppm is None:
        raise InputError(
            f"reading a scanned PDF needs pdftoppm, which is not installed (Debian: apt-get install {POPPLER_PACKAGE})"
        )
    texts: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="duban-ocr-") as folder:
        source = Path(folder) / "source.pdf"
        source.write_bytes(data)
        for number in pages:
            prefix = Path(folder) / f"page-{number}"
            points = longest[number - 1] if number <= len(longest) else 0
            dpi = min(PAGE_DPI, int(PAGE_PIXELS * 72 / points)) if points > 0 else PAGE_DPI
            command = [pdftoppm, "-f", str(number), "-l", str(number), "-gray", "-png", "-singlefile"]
            command += ["-r", str(max(dpi, 50)), str(source), str(prefix)]
            run = run_tool(command, RENDER_TIMEOUT, f"rendering page {number}", name)
            image = prefix.with_suffix(".png")
            if run.returncode != 0 or not image.exists():
                raise InputError(f"{name}: page {number} of the PDF cannot be rendered for OCR")
            texts[number] = ocr_png(image, tesseract, name)
            image.unlink()
    return texts


def ocr_image(data: bytes, name: str) -> list[str]:
    """The text of each page (frame) of a PNG, JPEG, TIFF or BMP image."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    tesseract = tesseract_path()
    texts: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as image, tempfile.TemporaryDirectory(prefix="duban-ocr-") as folder:
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_OCR_PAGES:
                raise _too_many(name, frames)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                page = frame.convert("L")
                longest = max(page.size)
                # A small screenshot's characters are too small for tesseract, a camera's photo takes long.
                factor = 2.0 if longest < 1000 else min(1.0, PAGE_PIXELS / longest)
                if factor != 1.0:
                    page = page.resize(
                        (round(page.width * factor), round(page.height * factor)), Image.Resampling.LANCZOS
                    )
                path = Path(folder) / f"page-{index + 1}.png"
                page.save(path, format="PNG")
                texts.append(ocr_png(path, tesseract, name))
    except InputError:
        raise
    except Image.DecompressionBombError as exc:
        raise InputError(f"{name}: the image is too large to read ({exc})") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"{name}: the image cannot be read (damaged or incomplete)") from exc
    return texts


# --- the text OCR gives back -------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Chinese characters and the full-width punctuation printed between them.
_WIDE = _HAN + "\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
# A space with a Chinese character or full-width mark on either side goes; between Latin letters or
# digits it stays.
_SPACE_LEFT = re.compile(f"(?<=[{_WIDE}])[ \t\u3000]+")
_SPACE_RIGHT = re.compile(f"[ \t\u3000]+(?=[{_WIDE}])")
# Half-width punctuation beside Chinese text: the full-width form (not between digits: 12:30, 3.5, 1,000).
_HALF_TO_FULL = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT = re.compile(f"(?<=[{_HAN}])([:,;?!])|([:,;?!])(?=[{_HAN}])")
_PERIOD = re.compile(f"(?<=[{_HAN}])\\.(?!\\d)")
# A bracket pair of any kind closed by a round bracket, on one line or across one line break: （…）.
# 《 is never closed by ）.
_ROUND = re.compile(r"[(（《]([^()（）《》\n]*(?:\n[^()（）《》\n]*)?)[)）]")
# A letter O/o inside a number is a zero; l, I or | inside one is a one.
_ZERO = re.compile(r"(?<=\d)[Oo](?=\d|[年月日号%万亿])|(?<=\d)[Oo](?=[Oo]\d)")
_ONE = re.compile(r"(?<=\d)[lI|](?=\d)")
# 曰 / 目 for 日 in a date.
_DAY = re.compile(r"(?<=\d月)(\d{1,2})[曰目]")
# A line's first number 一、 read as a dash.
_FIRST = re.compile(r"^[—\-－―─]、", re.MULTILINE)


def _pairs(match: re.Match[str]) -> str:
    inside = match.group(1)
    return f"（{inside}）" if re.search(f"[{_HAN}]", inside) or match.group(0)[0] != "(" else match.group(0)


def tidy_ocr_text(text: str) -> str:
    """OCR output as the rest of intake reads printed text (see the module's doc)."""
    text = text.replace("\r", "").strip("\f\n ")
    lines = []
    for line in text.split("\n"):
        line = _SPACE_RIGHT.sub("", _SPACE_LEFT.sub("", line)).strip()
        line = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], line)
        line = _PERIOD.sub("。", line)
        line = _ZERO.sub("0", line)
        line = _ONE.sub("1", line)
        line = _DAY.sub(lambda m: m.group(1) + "日", line)
        lines.append(line)
    return _FIRST.sub("一、", _ROUND.sub(_pairs, "\n".join(lines)))
