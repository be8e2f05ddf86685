"""`duban export` of the Word notices, for scheduled jobs: the file written, or one line and exit 2."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from duban.cli import main
from duban.reports.models import IssuedDocument

pytestmark = pytest.mark.django_db


def test_the_ranking_notice_from_the_command_line(world, tmp_path, capsys, settings):
    settings.DUBAN_TODAY = dt.date(2020, 8, 3)
    out = tmp_path / "排名.docx"
    assert (
        main(["export", "ranking-notice", "--jurisdiction", "zhumadian", "--month", "2020-07", "--out", str(out)]) == 0
    )
    assert "已导出 督查事项月排名通报" in capsys.readouterr().out
    document = Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert "驻督排〔2020〕1号" in text and "关于2020年7月份督查事项排名情况的通报" in text
    assert {world.cgj.name, world.jyj.name, world.wjw.name} <= cells
    issued = IssuedDocument.objects.get()
    assert issued.issued_by is None and issued.subject_key == "2020-07"


def test_what_cannot_be_written_exits_2_with_one_line(world, tmp_path, capsys):
    out = tmp_path / "督办单.docx"
    assert main(["export", "order", "--jurisdiction", "zhumadian", "--order", "999", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "duban: 驻马店市没有编号为 999 的督办单\n"
    assert list(tmp_path.iterdir()) == []


def test_a_broken_template_exits_2_naming_it(world, tmp_path, capsys, settings):
    templates = tmp_path / "templates"
    (templates / "zhumadian").mkdir(parents=True)
    broken = Document()
    broken.add_paragraph("{{ title ")
    broken.save(templates / "zhumadian" / "assessment.docx")
    (templates / "zhumadian" / "documents.yaml").write_text(
        "kinds:\n  assessment: {prefix: 驻督考}\n", encoding="utf-8"
    )
    settings.DUBAN_DOCUMENT_TEMPLATES_DIR = str(templates)
    out = tmp_path / "考核.docx"
    assert main(["export", "assessment", "--jurisdiction", "zhumadian", "--year", "2020", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("duban: 公文模板 zhumadian/assessment.docx 有误：模板标记有语法错误") and err.count("\n") == 1
    assert not out.exists() and not IssuedDocument.objects.exists()


@pytest.mark.parametrize("kind", ["ranking-notice", "assessment", "criticism-notice", "order", "opinion-letter"])
def test_every_notice_of_the_table_has_its_writer(kind):
    from duban.reports import notices
    from duban.reports.exports import KINDS, writer_of

    assert writer_of(KINDS[kind], ".docx").__module__ == notices.__name__
