"""`duban extract` never crashes: arbitrary text, shuffled document fragments, arbitrary bytes."""

import contextlib
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_paths import SEED

from duban.cli import main
from duban.errors import InputError
from duban.intake.extract import extract_text

FRAGMENTS = [
    "驻马店市人民政府",
    "关于推进健康驻马店行动的实施意见",
    "驻政〔2020〕23 号",
    "二〇二〇年四月二十三日",
    "（2020年4月3日，根据录音整理）",
    "一、",
    "（一）",
    "1. ",
    "（1）",
    "①",
    "第一条",
    "附件",
    "——在全市工作会议上的讲话",
    "市政府市长 朱是西",
    "（市卫健委牵头，市委宣传部、市科技局按职责分工负责）",
    "（责任单位：各县区人民政府）",
    "牵头单位：市发展改革委；配合单位：",
    "以下除特别指出的外均需县区人民政府负责，不再列出",
    "到2022年和2030年，",
    "分别不低于22%和",
    "30%。",
    "下降到10/10万及以下",
    "务必要在6月15日前",
    "年底前完成",
    "今年",
    "汝南县、平舆县",
    "一千二百六十四点六六万亩",
    "\n",
    "\n\n",
    "\f",
    "。",
    "，",
    "、",
    "（",
    "）",
    "“",
    "”",
    "《",
    "》",
    "驻马店市人民政府 公 报",
    " and ",
    "辦法",
    "- 3 -",
    "/3",
]
if SEED.exists():
    FRAGMENTS += [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()][:400:7]

CONTRACT_DOC_KEYS = ["doc_no", "title", "issuer", "date", "kind"]


def _check(result):
    json.dumps(result, ensure_ascii=False)  # serialisable
    for document in result["documents"]:
        assert list(document)[:5] == CONTRACT_DOC_KEYS
        for task in document["tasks"]:
            assert isinstance(task["ref"], str) and isinstance(task["units"], list)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_arbitrary_text_never_crashes(text):
    _check(extract_text(text))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_shuffled_document_fragments_never_crash(parts):
    _check(extract_text("".join(parts)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_exit_0_or_2(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["extract", str(path), "--format", "json"])
        assert code in (0, 2)
        if code == 2:
            assert out.getvalue() == "" and err.getvalue().count("\n") == 1
        else:
            _check(json.loads(out.getvalue()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0"]),
    st.binary(max_size=300),
)
def test_format_signatures_with_junk(prefix, data):
    from duban.intake.reading import read_bytes

    with contextlib.suppress(InputError):
        read_bytes(prefix + data, "junk")
