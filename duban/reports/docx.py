"""The Word engine: documents rendered from docxtpl templates the office can edit.

A template is looked up in the jurisdiction's own folder (`DUBAN_DOCUMENT_TEMPLATES_DIR`/<code>/, by default
document-templates/<code>/ in the instance), then in the shipped default set (duban/reports/document_templates/,
built by duban/reports/gbt9704.py in the GB/T 9704-2012 layout). The same folders hold `documents.yaml`: the
发文机关 (its name as signed, its red 发文机关标志) and the 发文字号 prefix of each kind, e.g.

    issuer: 驻马店市人民政府督查室
    mark: 驻马店市人民政府督查室
    printer: 驻马店市人民政府督查室
    kinds:
      ranking-notice: {prefix: 驻督排}
      criticism-notice: {prefix: 驻督责, issuer: 驻马店市人民政府督查落实委员会}

A template that cannot be rendered (not a Word file, a Jinja syntax error, a name the context lacks) raises
ExportError naming the file and the problem; the pages show it as a message, the command line as one line.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from django.conf import settings
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from lxml.etree import XMLSyntaxError

from duban.reports.exports import ExportError

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent / "document_templates"
SETTINGS_FILE = "documents.yaml"
TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.docx")


def templates_dir() -> Path:
    return Path(settings.DUBAN_DOCUMENT_TEMPLATES_DIR)


def jurisdiction_folder(jurisdiction) -> Path:
    return templates_dir() / jurisdiction.code


def template_path(jurisdiction, template: str) -> Path:
    """The jurisdiction's own template of that name, or the shipped one."""
    if not TEMPLATE_NAME.fullmatch(template):
        raise ExportError(f"公文模板名称不正确：{template}")
    own = jurisdiction_folder(jurisdiction) / template
    if own.is_file():
        return own
    shipped = DEFAULT_TEMPLATES_DIR / template
    if shipped.is_file():
        return shipped
    raise ExportError(f"找不到公文模板 {template}（{jurisdiction.name}的模板目录和默认模板中都没有）")


def _describe(path: Path) -> str:
    try:
        return str(path.relative_to(templates_dir()))
    except ValueError:
        return f"默认模板 {path.name}"


def _jinja_env() -> jinja2.Environment:
    # StrictUndefined: a misspelt name in an edited template is an error naming it, not an empty gap.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def template_problem(source: bytes | Path, context: dict[str, Any]) -> str | None:
    """Why `source` (a template's bytes or path) cannot be rendered with `context`, or None."""
    try:
        _render(source, context)
    except _TemplateBroken as broken:
        return broken.problem
    return None


class _TemplateBroken(Exception):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _render(source: bytes | Path, context: dict[str, Any]) -> bytes:
    handle = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        document = DocxTemplate(handle)
        document.render(context, jinja_env=_jinja_env(), autoescape=True)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as error:
        raise _TemplateBroken(f"不是有效的 Word（.docx）文件（{error}）") from error
    except jinja2.TemplateSyntaxError as error:
        raise _TemplateBroken(f"模板标记有语法错误：{error.message}") from error
    except jinja2.UndefinedError as error:
        raise _TemplateBroken(f"模板使用了未知的字段：{error.message}") from error
    except jinja2.TemplateError as error:
        raise _TemplateBroken(f"模板无法生成：{error}") from error
    except XMLSyntaxError as error:
        raise _TemplateBroken(f"模板标记打断了文档结构：{error}") from error
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(*, jurisdiction, template: str, context: dict[str, Any]) -> bytes:
    """The .docx of `template` (e.g. "notice.docx") rendered with `context` for `jurisdiction`.
    The context's values are escaped for Word's XML; pass plain text."""
    path = template_path(jurisdiction, template)
    try:
        return _render(path, context)
    except _TemplateBroken as broken:
        raise ExportError(f"公文模板 {_describe(path)} 有误：{broken.problem}") from None


@dataclass(frozen=True)
class Issuer:
    """Who a kind of document is from: the 署名, the red 发文机关标志, the 印发机关 and the 字号 prefix."""

    issuer: str
    mark: str
    printer: str
    prefix: str


def _settings_file(jurisdiction) -> Path:
    own = jurisdiction_folder(jurisdiction) / SETTINGS_FILE
    return own if own.is_file() else DEFAULT_TEMPLATES_DIR / SETTINGS_FILE


def documents_settings(jurisdiction) -> dict[str, Any]:
    path = _settings_file(jurisdiction)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ExportError(f"公文设置 {_describe(path)} 无法读取：{error}") from None
    if not isinstance(data, dict):
        raise ExportError(f"公文设置 {_describe(path)} 应为键值表")
    return data


def issuer_of(jurisdiction, kind: str) -> Issuer:
    """The 发文机关 and 字号 prefix of `kind` (an export kind's name) in the jurisdiction's documents.yaml.
    In the shipped default, the office of the jurisdiction's government: "<name>人民政府督查室"."""
    data = documents_settings(jurisdiction)
    kinds = data.get("kinds") or {}
    own = kinds.get(kind) or {}
    if not isinstance(kinds, dict) or not isinstance(own, dict):
        raise ExportError(f"公文设置 {_describe(_settings_file(jurisdiction))} 的 kinds 应为键值表")
    default_office = f"{jurisdiction.name}人民政府督查室"
    # "{jurisdiction}" in a name stands for the jurisdiction's (the shipped default names no place).
    issuer = str(own.get("issuer") or data.get("issuer") or default_office).replace("{jurisdiction}", jurisdiction.name)
    prefix = str(own.get("prefix") or "")
    if not prefix:
        raise ExportError(f"公文设置 {_describe(_settings_file(jurisdiction))} 没有 {kind} 的发文字号前缀（prefix）")
    return Issuer(
        issuer=issuer,
        # A kind signed by another organ (the 意见书: the committee) carries that organ's red mark too.
        mark=str(own.get("mark") or (own.get("issuer") and issuer) or data.get("mark") or issuer).replace(
            "{jurisdiction}", jurisdiction.name
        ),
        printer=str(own.get("printer") or data.get("printer") or default_office).replace(
            "{jurisdiction}", jurisdiction.name
        ),
        prefix=prefix,
    )


def reference_text(prefix: str, year: int, number: int) -> str:
    """The 发文字号 as GB/T 9704 writes it: 驻督排〔2020〕3号 (六角括号, no leading zeros)."""
    return f"{prefix}〔{year}〕{number}号"


def chinese_date(day) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 has it: 2020年12月10日."""
    return f"{day.year}年{day.month}月{day.day}日"
