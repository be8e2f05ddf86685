"""Scans made at test time: a short 通知 of our own drawn as a page image (Pillow, Noto CJK), and the
image-only PDF of it — what a scanner gives. Built once per test process (cached)."""

from __future__ import annotations

import functools
import io
import shutil
from pathlib import Path

import pytest

NOTICE = """某市人民政府办公室关于开展城市桥梁安全检查的通知
某政办〔2025〕36号

各区人民政府，市政府各部门：
为保障城市桥梁运行安全，经市政府同意，现就开展桥梁安全检查有关事项通知如下：
一、全面排查桥梁隐患。2025年8月31日前完成全市桥梁结构检测。（责任单位：市住房城乡建设局、市交通运输局）
二、建立桥梁养护台账。各区于2025年9月30日前报送养护台账。（责任单位：各区人民政府）

某市人民政府办公室
2025年7月15日
"""

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DPI = 200


def require(*programs: str) -> None:
    """Fail (never skip) when a program or the font the scans need is missing: CI installs them."""
    missing = [program for program in programs if shutil.which(program) is None]
    if not FONT.exists():
        missing.append(f"the font {FONT}")
    if "tesseract" in programs and not missing:
        langs = list(Path("/usr/share/tesseract-ocr").glob("*/tessdata/chi_sim.traineddata"))
        if not langs:
            missing.append("tesseract's chi_sim data")
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run scripts/system-packages test (as root it installs them)")


@functools.lru_cache(maxsize=4)
def page_png(text: str = NOTICE) -> bytes:
    """An A4 page at 200 dpi with ``text`` drawn on it (lines wrapped at the margins), as PNG."""
    from PIL import Image, ImageDraw, ImageFont

    require()
    font = ImageFont.truetype(str(FONT), 44)  # 三号 (16 pt), as GB/T 9704 prints a 公文
    width, height, margin = 1654, 2339, 160
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = margin
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if draw.textlength(line + char, font=font) > width - 2 * margin:
                draw.text((margin, y), line, font=font, fill=0)
                y, line = y + 72, ""
            line += char
        draw.text((margin, y), line, font=font, fill=0)
        y += 72
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@functools.lru_cache(maxsize=4)
def scanned_pdf(text: str = NOTICE) -> bytes:
    """An image-only PDF (no text layer) of the page ``page_png`` draws."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(page_png(text))).save(buffer, format="PDF", resolution=DPI)
    return buffer.getvalue()
