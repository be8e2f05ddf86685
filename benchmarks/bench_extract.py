"""Extraction speed: `duban extract` over a corpus of the seed gazette repeated to 1, 2.5, 5 and
10 MB, against a bare read + one regex pass over the same file in the same run.

    .venv/bin/python benchmarks/bench_extract.py            # 1, 2.5, 5, 10 MB
    .venv/bin/python benchmarks/bench_extract.py --sizes 1 2

Prints, per size: seconds for extraction and for the baseline, their ratio, and extraction
seconds per MB (flat when the cost grows linearly with size).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from duban.intake.extract import extract_file

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
MB = 1024 * 1024
# The baseline's one pass: every 发文字号 in the text.
BASELINE_PATTERN = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,5}\s*号")


def corpus(size_mb: float) -> bytes:
    seed = SEED.read_bytes()
    copies = max(1, round(size_mb * MB / len(seed)))
    return (seed.rstrip() + b"\n\n") * copies


def baseline(path: Path) -> int:
    text = path.read_bytes().decode("utf-8")
    return len(BASELINE_PATTERN.findall(text))


def measure(size_mb: float) -> dict:
    data = corpus(size_mb)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.txt"
        path.write_bytes(data)
        start = time.perf_counter()
        found = baseline(path)
        base_seconds = time.perf_counter() - start
        start = time.perf_counter()
        result = extract_file(path)
        extract_seconds = time.perf_counter() - start
    megabytes = len(data) / MB
    return {
        "mb": megabytes,
        "documents": len(result["documents"]),
        "tasks": sum(len(d["tasks"]) for d in result["documents"]),
        "doc_numbers": found,
        "extract_s": extract_seconds,
        "baseline_s": base_seconds,
        "ratio": extract_seconds / base_seconds,
        "s_per_mb": extract_seconds / megabytes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2.5, 5, 10])
    args = parser.parse_args(argv)
    if not SEED.exists():
        print(f"seed gazette not found: {SEED}", file=sys.stderr)
        return 2
    print(f"{'MB':>6} {'docs':>6} {'tasks':>6} {'extract s':>10} {'read+regex s':>13} {'ratio':>7} {'s/MB':>7}")
    rows = [measure(size) for size in args.sizes]
    for row in rows:
        print(
            f"{row['mb']:>6.2f} {row['documents']:>6} {row['tasks']:>6} {row['extract_s']:>10.3f} "
            f"{row['baseline_s']:>13.4f} {row['ratio']:>7.0f} {row['s_per_mb']:>7.3f}"
        )
    if len(rows) > 1:
        spread = max(r["s_per_mb"] for r in rows) / min(r["s_per_mb"] for r in rows)
        print(
            f"extraction seconds per MB vary by a factor of {spread:.2f} from {rows[0]['mb']:.1f} to "
            f"{rows[-1]['mb']:.1f} MB (1.00 = perfectly linear)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
