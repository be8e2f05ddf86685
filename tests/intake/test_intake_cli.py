import json
import subprocess
import sys

import pytest

from duban.cli import main


def test_json_output(seed_path, capsys):
    assert main(["extract", str(seed_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert len(data["documents"]) == 12 and captured.err == ""


def test_text_output(seed_path, capsys):
    assert main(["extract", str(seed_path)]) == 0
    assert "三.(一).1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image cannot be read"),
        (bytes(range(256)) * 4, "binary"),
        (b"Hello world, this is an English letter and not a government document.\n" * 3, "no Chinese"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "damaged legacy Office file"),
        (b"PK\x03\x04garbage", "ZIP"),
        (b"%PDF-1.4\ngarbage", "PDF"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "input.bin"
    if content is not None:
        path.write_bytes(content)
    assert main(["extract", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err


def test_top_level_command(seed_path, tmp_path):
    """Through `duban` itself (the top-level CLI loads every stage's commands)."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "duban.cli", "extract", str(empty), "--format", "json"], capture_output=True, text=True
    )
    assert run.returncode == 2 and run.stdout == "" and run.stderr.startswith("duban:")
    ok = subprocess.run(
        [sys.executable, "-m", "duban.cli", "extract", str(seed_path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["documents"]


def test_intake_does_not_import_django():
    code = (
        "import sys, duban.intake.extract, duban.intake.cli, duban.intake.evaluate; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_chinese_text_with_no_document_in_it_exits_2(tmp_path, capsys):
    from duban.cli import main

    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好，我们去公园散步，看见很多人在跑步锻炼身体。\n" * 5, encoding="utf-8")
    assert main(["extract", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no official document found" in captured.err


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,  # binary: not UTF-8
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"[" * 100_000 + b"]" * 100_000,  # YAML nested deeper than the parser's recursion
        "units:\n  - name: \ud800\n".encode("utf-8", "surrogatepass"),
    ],
)
def test_a_directory_that_is_no_yaml_text_exits_2_with_one_line(seed_path, tmp_path, capsys, content):
    directory = tmp_path / "units.yaml"
    directory.write_bytes(content)
    assert main(["extract", str(seed_path), "--directory", str(directory)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and str(directory) in captured.err
