"""Legacy Word (.doc) and WPS (.wps) files: OLE2 containers, converted to DOCX by LibreOffice headless.

Each conversion runs with a profile of its own (``-env:UserInstallation``) in a temporary folder, so
that conversions running at the same time (the worker, the command line) do not wait on each other's
lock, and under a timeout. A spreadsheet or a presentation in the same container is named as such.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from duban.errors import InputError
from duban.intake.tools import find_tool, run_tool

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
CONVERT_TIMEOUT = 180  # seconds
LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"

# Streams that say what an OLE2 container holds.
_SPREADSHEET = ("workbook", "book")
_PRESENTATION = ("powerpoint document",)
_TEXT = ("worddocument", "contents", "wpsdocument")


def ole_kind(data: bytes, name: str) -> str:
    """What an OLE2 container holds by its streams (text, spreadsheet, presentation); InputError for a damaged one."""
    import olefile  # type: ignore[import-untyped]

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError … for damaged files
        raise InputError(f"{name}: a damaged legacy Office file (.doc/.wps/.xls)") from exc
    top = {stream.rsplit("/", 1)[-1] for stream in streams}
    if top & set(_SPREADSHEET):
        return "spreadsheet"
    if top & set(_PRESENTATION):
        return "presentation"
    return "text"


def soffice_path() -> str:
    for program in ("soffice", "libreoffice"):
        path = find_tool(program)
        if path is not None:
            return path
    raise InputError(
        "reading a legacy Word/WPS file (.doc/.wps) needs LibreOffice, which is not installed "
        f"(Debian: apt-get install {LIBREOFFICE_PACKAGE})"
    )


def convert_to_docx(data: bytes, name: str, suffix: str = ".doc") -> bytes:
    """The DOCX LibreOffice makes of a .doc/.wps file."""
    kind = ole_kind(data, name)
    if kind == "spreadsheet":
        raise InputError(
            f"{name}: a legacy Excel spreadsheet (.xls), not a document; import a 任务分解表 as .xlsx, or save the document as .docx"
        )
    if kind == "presentation":
        raise InputError(f"{name}: a PowerPoint presentation (.ppt), not a document; save it as .docx or PDF")
    soffice = soffice_path()
    with tempfile.TemporaryDirectory(prefix="duban-soffice-") as folder:
        root = Path(folder)
        source = root / f"source{suffix if suffix in ('.doc', '.wps') else '.doc'}"
        source.write_bytes(data)
        out = root / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        run = run_tool(command, CONVERT_TIMEOUT, "converting the Word/WPS file with LibreOffice", name)
        converted = out / "source.docx"
        if run.returncode != 0 or not converted.exists() or converted.stat().st_size == 0:
            raise InputError(f"{name}: the legacy Word/WPS file cannot be converted (LibreOffice could not open it)")
        return converted.read_bytes()
