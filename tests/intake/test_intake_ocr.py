"""Scans and images read by OCR (tesseract chi_sim), legacy .doc/.wps converted by LibreOffice, and the
clear messages when a tool is missing. The scans are drawn at test time from a 通知 of our own
(tests/scans.py); a missing tool fails the test naming scripts/system-packages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from duban.errors import InputError
from duban.intake import legacy, ocr, reading, tools
from duban.intake.extract import extract_bytes, extract_file
from duban.intake.ocr import image_kind, tidy_ocr_text
from tests.scans import page_png, require, scanned_pdf

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy" / "forest-fire-notice.doc"


@pytest.fixture(scope="session")
def scan_reading():
    require("tesseract", "pdftoppm")
    return extract_bytes(scanned_pdf(), name="扫描件.pdf")


def _check_notice(result):
    assert result["ocr"] is True
    [document] = result["documents"]
    assert document["ocr"] is True
    assert document["doc_no"] == "某政办〔2025〕36号"
    assert document["title"] == "某市人民政府办公室关于开展城市桥梁安全检查的通知"
    assert (document["issuer"], document["date"], document["kind"]) == ("某市人民政府办公室", "2025-07-15", "通知")
    tasks = document["tasks"]
    assert [task["ref"] for task in tasks] == ["一", "二"]
    assert tasks[0]["title"] == "全面排查桥梁隐患"
    assert tasks[0]["units"] == ["市住房城乡建设局", "市交通运输局"]
    assert tasks[1]["units"] == ["各区人民政府"]
    assert [d["date"] for d in tasks[0]["deadlines"]] == ["2025-08-31"]
    assert [d["date"] for d in tasks[1]["deadlines"]] == ["2025-09-30"]


def test_a_scanned_pdf_is_read_by_ocr_and_marked(scan_reading):
    _check_notice(scan_reading)
    assert scan_reading["ocr_pages"] == [1]
    assert "text" in scan_reading["documents"][0]  # what the ledger stores, after the mark


def test_the_command_line_marks_ocr_in_json_and_text(tmp_path, capsys):  # an image, in PNG
    require("tesseract", "pdftoppm")
    from duban.cli import main

    path = tmp_path / "scan.png"
    path.write_bytes(page_png())
    assert main(["extract", str(path), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["source", "documents", "ocr", "ocr_pages"]
    _check_notice(result)
    from duban.intake.cli import render_text

    assert "本文件经文字识别（OCR）读取（第 1 页），请对照原件核对" in render_text(result)


def test_a_text_pdf_is_not_marked(tmp_path):
    require("soffice")
    text_pdf = _text_pdf(tmp_path)
    result = extract_bytes(text_pdf, name="通知.pdf")
    assert "ocr" not in result and all("ocr" not in document for document in result["documents"])


def test_only_the_pages_without_text_are_read_by_ocr(tmp_path, monkeypatch):
    require("tesseract", "pdftoppm", "soffice")
    import pypdfium2

    mixed = pypdfium2.PdfDocument(io.BytesIO(_text_pdf(tmp_path)))
    mixed.import_pages(pypdfium2.PdfDocument(io.BytesIO(scanned_pdf())))
    buffer = io.BytesIO()
    mixed.save(buffer)
    asked: list[list[int]] = []
    real = ocr.ocr_pdf_pages

    def spy(data, pages, *args):
        asked.append(list(pages))
        return real(data, pages, *args)

    monkeypatch.setattr(ocr, "ocr_pdf_pages", spy)
    read = reading.read_source_bytes(buffer.getvalue(), "mixed.pdf")
    assert asked == [[2]] and read.ocr_pages == (2,)
    first, second = read.text.split("\f")
    assert "森林防火" in first and "桥梁" in second


def _text_pdf(tmp_path) -> bytes:
    """A one-page PDF with a text layer: the legacy fixture rendered by LibreOffice."""
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()
    run = tools.run_tool(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(LEGACY),
        ],
        120,
        "rendering",
        "test",
    )
    assert run.returncode == 0, run.stderr
    return (out / "forest-fire-notice.pdf").read_bytes()


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "TIFF", "BMP"])
def test_an_image_is_known_by_its_bytes(kind):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (4, 4), 255).save(buffer, format=kind)
    assert image_kind(buffer.getvalue()) == kind
    assert image_kind(b"BMW 3 series brochure, not an image at all") is None
    assert image_kind("某市人民政府".encode()) is None


def test_a_jpeg_scan_is_read_by_ocr():
    require("tesseract")
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(page_png())).save(buffer, format="JPEG", quality=85)
    _check_notice(extract_bytes(buffer.getvalue(), name="照片.jpg"))


def test_legacy_doc_and_wps_are_converted_by_libreoffice():
    require("soffice")
    result = extract_bytes(LEGACY.read_bytes(), name="通知.wps")
    [document] = result["documents"]
    assert "ocr" not in result
    assert (document["doc_no"], document["date"]) == ("某政办〔2025〕9号", "2025-09-01")
    assert document["title"] == "某县人民政府办公室关于做好秋季森林防火工作的通知"
    assert [task["units"] for task in document["tasks"]] == [["县林业局", "县应急管理局"], ["各乡镇人民政府"]]
    assert extract_file(LEGACY)["documents"][0]["tasks"][0]["deadlines"] == [
        {"text": "2025年10月31日前", "date": "2025-10-31"}
    ]


def test_an_xls_given_as_a_document_is_named():
    from tests.factories import sample_file

    with pytest.raises(InputError, match=r"a legacy Excel spreadsheet \(\.xls\), not a document"):
        reading.read_bytes(sample_file(".xls"), "表.xls")


def test_missing_libreoffice_names_the_package(monkeypatch):
    monkeypatch.setattr(legacy, "find_tool", lambda name: None)
    with pytest.raises(InputError, match="libreoffice-writer-nogui"):
        reading.read_bytes(LEGACY.read_bytes(), "通知.doc")


def test_missing_tesseract_names_the_packages(monkeypatch):
    monkeypatch.setattr(ocr, "find_tool", lambda name: None)
    with pytest.raises(InputError, match="tesseract-ocr tesseract-ocr-chi-sim"):
        reading.read_bytes(page_png(), "照片.png")
    with pytest.raises(InputError, match="tesseract-ocr tesseract-ocr-chi-sim"):
        reading.read_bytes(scanned_pdf(), "扫描件.pdf")


def test_tesseract_without_chinese_data_names_the_package(monkeypatch, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages in /x (2):"\necho eng\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setattr(ocr, "find_tool", lambda name: str(fake) if name == "tesseract" else None)
    with pytest.raises(InputError, match=r"no Chinese language data chi_sim .*tesseract-ocr-chi-sim"):
        reading.read_bytes(page_png(), "照片.png")


def test_too_many_pages_and_a_slow_page_get_a_clear_message(monkeypatch):
    require("tesseract")
    from PIL import Image

    buffer = io.BytesIO()
    pages = [Image.new("L", (40, 40), 255) for _ in range(3)]
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 2)
    with pytest.raises(InputError, match="3 scanned pages to read by OCR, more than 2 at most; split the file"):
        reading.read_bytes(buffer.getvalue(), "三页.tif")
    monkeypatch.setattr(ocr, "TESSERACT_TIMEOUT", 0.01)
    with pytest.raises(InputError, match="OCR of a page took longer than"):
        reading.read_bytes(page_png(), "照片.png")


def test_a_damaged_image_is_named():
    require("tesseract")
    with pytest.raises(InputError, match="the image cannot be read"):
        reading.read_bytes(page_png()[:300], "半张.png")


# --- tidying what tesseract gives back --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, tidy",
    [
        ("各 县 区 人 民 政 府 ， 市 直 各 单 位 :", "各县区人民政府，市直各单位："),
        ("到 2025 年 , 完 成 改 造 30 万 户", "到2025年，完成改造30万户"),
        ("推广 Wi Fi 6 和 5G 网络", "推广Wi Fi 6和5G网络"),  # spaces between Latin words and digits stay
        ("《责任单位 : 市水利局、市城管局)", "（责任单位：市水利局、市城管局）"),
        ("(一) 加强领导", "（一）加强领导"),
        ("(1) 加强领导", "(1)加强领导"),  # a Latin pair left as printed
        ("依照《中华人民共和国水法》(2016年修正)执行", "依照《中华人民共和国水法》（2016年修正）执行"),
        ("2O25年6月3曰前报送.", "2025年6月3日前报送。"),
        ("—、总体要求", "一、总体要求"),
        ("会议于 10:30 开始，增长 3.5%", "会议于10:30开始，增长3.5%"),
        ("\f第一页\n\n第二行 \f", "第一页\n\n第二行"),
    ],
)
def test_ocr_text_is_tidied(raw, tidy):
    assert tidy_ocr_text(raw) == tidy


def _tsv(*lines: tuple[int, int, str]) -> str:
    """tesseract's TSV for lines given as (left, right, text), 40 pixels high, a word per character or number."""
    import re

    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for number, (left, right, text) in enumerate(lines, start=1):
        rows.append(f"4\t1\t1\t1\t{number}\t0\t{left}\t{number * 60}\t{right - left}\t40\t-1\t")
        rows += [
            f"5\t1\t1\t1\t{number}\t{i}\t{left}\t{number * 60}\t40\t40\t90\t{ch}"
            for i, ch in enumerate(re.findall(r"\d+|.", text), 1)
        ]
    return "\n".join(rows)


def test_wrapped_lines_are_put_back_into_paragraphs():
    tsv = _tsv(
        (200, 1000, "关于做好冬季供暖"),  # a short title line
        (200, 1450, "各供热企业要在11月15日前完成管网检修，"),  # runs to the right edge: wrapped
        (200, 900, "确保按时供暖。"),
        (200, 1450, "一、加强供热保障各供热企业要储备燃料，"),
        (200, 1000, "二、做好应急处置"),  # a numbered item starts a paragraph
        (280, 1450, "县城管局牵头制定应急预案并组织演练，"),  # first-line indent
        (200, 800, "各乡镇配合。"),
    )
    assert tidy_ocr_text(ocr.paragraphs(tsv)).split("\n") == [
        "关于做好冬季供暖",
        "各供热企业要在11月15日前完成管网检修，确保按时供暖。",
        "一、加强供热保障各供热企业要储备燃料，",
        "二、做好应急处置",
        "县城管局牵头制定应急预案并组织演练，各乡镇配合。",
    ]
