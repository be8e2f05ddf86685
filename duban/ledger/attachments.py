"""Which files a progress report may carry, checked whole: each type is opened by the library that
reads it (pdfplumber, python-docx, openpyxl, Pillow, olefile; plain text must decode), so a file
that only starts like its type (``%PDF`` followed by HTML) is refused.

``check_attachment`` raises ``ValidationError`` on ``attachments`` with a Chinese message naming
the file; it returns the content type to store.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

ATTACHMENT_MAX_BYTES = getattr(settings, "DUBAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_FILES = 5
# A name is stored as the file's name on disk: most file systems hold 255 bytes; the record keeps 200 characters.
ATTACHMENT_NAME_MAX_BYTES = 255
ATTACHMENT_NAME_MAX_CHARS = 200
# What a ZIP-based file (docx, xlsx) may unpack to: a 10 MB upload of ordinary documents stays far below.
UNPACKED_MAX_BYTES = 200 * 1024 * 1024
PDF_MAX_PAGES = 2000


class Unreadable(Exception):
    """The file is not what its extension says (damaged, truncated or another type)."""


def _pdf(file: IO[bytes]) -> None:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(file) as pdf:
        pages = pdf.pages
        if not pages or len(pages) > PDF_MAX_PAGES:
            raise Unreadable(f"{len(pages)} pages")
        for page in pages:
            for stream in page.page_obj.contents or []:  # decode every page's content (its filters)
                stream.get_data()


def _zip(file: IO[bytes]) -> None:
    with zipfile.ZipFile(file) as archive:
        if sum(member.file_size for member in archive.infolist()) > UNPACKED_MAX_BYTES:
            raise Unreadable("unpacks to too much")
        if archive.testzip() is not None:  # every member read and its checksum checked
            raise Unreadable("damaged member")
    file.seek(0)


def _docx(file: IO[bytes]) -> None:
    import docx

    _zip(file)
    document = docx.Document(file)  # refuses a package whose main part is not a Word document
    for _paragraph in document.paragraphs:
        pass


def _xlsx(file: IO[bytes]) -> None:
    import openpyxl

    _zip(file)
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
    finally:
        workbook.close()


def _image(expected: str) -> Callable[[IO[bytes]], None]:
    def check(file: IO[bytes]) -> None:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format != expected:
                    raise Unreadable(f"a {image.format} image")
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()  # decode every pixel: a truncated file fails here

    return check


def _ole(*streams: str) -> Callable[[IO[bytes]], None]:
    def check(file: IO[bytes]) -> None:
        import olefile

        with olefile.OleFileIO(file) as ole:
            found = next((name for name in streams if ole.exists(name)), None)
            if found is None:
                raise Unreadable(f"no {' or '.join(streams)} stream")
            ole.openstream(found).read()

    return check


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _text(file: IO[bytes]) -> None:
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable("not UTF-8") from exc
    if _CONTROL.search(text):
        raise Unreadable("control characters: binary data")


# Allowed attachment types: extension → the check that opens the whole file.
ATTACHMENT_TYPES: dict[str, Callable[[IO[bytes]], None]] = {
    ".pdf": _pdf,
    ".doc": _ole("WordDocument"),
    ".xls": _ole("Workbook", "Book"),
    ".docx": _docx,
    ".xlsx": _xlsx,
    ".jpg": _image("JPEG"),
    ".jpeg": _image("JPEG"),
    ".png": _image("PNG"),
    ".txt": _text,
}
TYPE_NAMES = {".pdf": "PDF", ".doc": "Word", ".xls": "Excel", ".docx": "Word", ".xlsx": "Excel", ".txt": "UTF-8 文本"}


def attachment_name(upload: UploadedFile) -> str:
    return PurePath(upload.name or "").name


def check_attachment(upload: UploadedFile) -> str:
    """Refuse a file whose name is too long, too big or empty, of a type the ledger does not keep,
    or that the library of its type cannot open whole; return its content type."""
    name = attachment_name(upload)
    suffix = PurePath(name).suffix.lower()
    if len(name.encode("utf-8")) > ATTACHMENT_NAME_MAX_BYTES or len(name) > ATTACHMENT_NAME_MAX_CHARS:
        raise ValidationError(
            {
                "attachments": f"附件文件名过长（最多 {ATTACHMENT_NAME_MAX_BYTES} 字节，约 85 个汉字），"
                f"请改短后再上传：{name[:40]}…"
            }
        )
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"attachments": f"附件“{name}”的类型不允许（可上传 PDF、Word、Excel、JPG、PNG、TXT）"})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachments": f"附件“{name}”超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"})
    if upload.size == 0:
        raise ValidationError({"attachments": f"附件“{name}”是空文件"})
    upload.seek(0)
    try:
        ATTACHMENT_TYPES[suffix](upload)
    except Exception:  # each library raises its own types for a damaged or foreign file
        kind = TYPE_NAMES.get(suffix, suffix.lstrip(".").upper())
        raise ValidationError(
            {"attachments": f"附件“{name}”无法作为 {kind} 文件打开（文件已损坏，或内容与扩展名不符）"}
        ) from None
    finally:
        upload.seek(0)
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
