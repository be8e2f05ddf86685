"""Split an issue (or a single file) into documents, and read each document's header.

A document starts with a title block: up to four short lines without sentence punctuation,
ending in a line that ends with a 文种 ("…的通知", "…实施方案"), or, for a speech, a subtitle
"——在…会议上的讲话". After the title come header lines (发文字号, a date in brackets, the
speaker) and, at the end, the signature and the 成文日期.

The issue's own front matter (masthead, 目录, editorial board, publication data) has title-like
lines too; what tells it apart is that no sentence follows them: a candidate whose text up to
the next candidate holds no "。" is front matter, not a document.

Attachments are documents: a notice that issues a measure (关于印发《X》的通知) is followed by X
itself (or by "附件" and X); X gets `attachment_of` = the notice's number and the notice's date
and issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from duban.intake.cleanup import PAGE_CHROME, Line
from duban.intake.dates import find_dates, is_date_line, parse_date
from duban.intake.doc_kinds import attachment_kind, kind_of
from duban.intake.doc_numbers import DOC_NO, is_doc_no_line, normalise_doc_no
from duban.intake.headings import marker_of
from duban.intake.unitnames import looks_like_unit

_SENTENCE_PUNCT = re.compile("[。，；！？：]")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
_TOC_REF = re.compile(r"(?:/\s*\d{1,3}|[…\.·]{2,}\s*\d{1,3})$")
_SPEECH_SUBTITLE = re.compile(r"^[—－-]{1,2}.*(?:讲话|致辞|发言|讲话稿|报告)$")
_ATTACHMENT_MARK = re.compile(r"^附件\s*\d{0,2}\s*[:：]?\s*$")
_ISSUING_NOTICE = re.compile(r"印发|转发|颁发|发布|公布")
_MASTHEAD = re.compile(r"(?:文件|公报|简报|通讯)$")
# The period or status of a measure printed on the line under its title: （2024—2026年）, （试行）.
_TITLE_PERIOD = re.compile(
    r"^[（(](?:\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*年?|\d{4}\s*年|试行|暂行|修订|修订稿|征求意见稿)[）)]$"
)
# A line wholly in brackets is a note (（此件公开发布）, （此件主动公开）), never the start of a title.
_BRACKETED_NOTE = re.compile(r"^[（(【\[〔][^（(【\[〔]*[）)】\]〕]$")
# What an issuer does in a title after naming itself: 江临市人民政府关于…, …办公室印发《…》的通知,
# 北京市人民政府贯彻落实国务院关于…的通知.
_TITLE_VERB = re.compile(r"关于|印发|转发|批转|颁发|发布|公布|贯彻|落实")
# Joint issuers counted in the title (江临市卫生健康委等3部门关于…): the last resort for a joint issuer.
_COUNTED_ISSUERS = re.compile(r"等\s*[\d一二三四五六七八九十]+\s*个?(?:部门|单位|机关)$")
# A body-only text names its kind in its closing formula: 特此通知 → 通知, 特此函告 → 函.
_CLOSING_FORMULA = re.compile(r"特此(通知|通报|公告|通告|批复|报告|函告|函复|函达)")
_POST_WORDS = (
    "书记",
    "副书记",
    "市长",
    "副市长",
    "县长",
    "副县长",
    "区长",
    "副区长",
    "省长",
    "副省长",
    "主任",
    "副主任",
    "局长",
    "部长",
    "厅长",
    "秘书长",
    "主席",
    "委员",
    "组长",
    "常委",
    "同志",
    "镇长",
    "乡长",
    "州长",
    "副州长",
    "旗长",
    "副旗长",
    "盟长",
    "副盟长",
)

MAX_TITLE_LINES = 4
MAX_HEADER_LINES = 5


@dataclass
class DocumentBlock:
    title: str
    kind: str | None
    doc_no: str | None = None
    issuer: str | None = None
    date: date | None = None
    speaker: str | None = None
    speaker_title: str | None = None
    attachment_of: str | None = None
    notice: DocumentBlock | None = field(default=None, repr=False, compare=False)  # an attachment's notice
    is_attachment: bool = False
    body: list[Line] = field(default_factory=list)
    title_issuer: str | None = None
    start: int = 0  # index of the first title line
    end: int = 0  # index after the last line

    @property
    def is_speech(self) -> bool:
        return self.kind == "讲话"


@dataclass
class _Anchor:
    index: int  # the line that ends the title (or the speech subtitle, or 附件)
    block_start: int  # first line of the title block
    speech: bool = False
    attachment_mark: bool = False


def _without_quotes(text: str) -> str:
    return _QUOTED.sub("", text)


def is_title_line(text: str) -> bool:
    """A line that can end a title: ends with a 文种, has no sentence punctuation."""
    if not 4 <= len(text) <= 200:
        return False
    if marker_of(text) is not None or _TOC_REF.search(text) or text.startswith(("—", "-")):
        return False
    if _SENTENCE_PUNCT.search(_without_quotes(text)):
        return False
    if is_doc_no_line(text) or is_date_line(text):
        return False
    return kind_of(text) is not None


def _is_title_fragment(text: str) -> bool:
    """A line that can begin a title block above the line that ends it."""
    if not 1 <= len(text) <= 45:
        return False
    if PAGE_CHROME.search(text) or _BRACKETED_NOTE.match(text):
        return False
    if _SENTENCE_PUNCT.search(_without_quotes(text)) or _TOC_REF.search(text):
        return False
    if marker_of(text) is not None or is_date_line(text) or is_doc_no_line(text):
        return False
    if kind_of(text) is not None or text.startswith(("—", "-", "同志们", "附件")):
        return False
    return True


def _is_attachment_title(text: str) -> bool:
    """The line under a 附件 mark that names what is attached, whatever word ends it."""
    if not 4 <= len(text) <= 60 or PAGE_CHROME.search(text) or text.startswith(("序号", "附件")):
        return False
    if _SENTENCE_PUNCT.search(_without_quotes(text)) or _TOC_REF.search(text):
        return False
    return marker_of(text) is None and not is_date_line(text) and not is_doc_no_line(text)


def _find_anchors(lines: list[Line]) -> list[_Anchor]:
    anchors: list[_Anchor] = []
    floor = 0  # title blocks never reach back past the previous anchor
    for index, line in enumerate(lines):
        text = line.text
        speech = bool(_SPEECH_SUBTITLE.match(text)) and not _TOC_REF.search(text)
        mark = bool(_ATTACHMENT_MARK.match(text))
        if not (speech or mark or is_title_line(text)):
            continue
        if mark:
            if index + 1 >= len(lines):
                continue
            following = lines[index + 1].text
            if not is_title_line(following) and _is_attachment_title(following):
                # 附件2 / 江临市…评价指标体系: what is attached need not end in a 文种.
                anchors.append(_Anchor(index + 1, index, attachment_mark=True))
                floor = index + 2
                continue
            anchors.append(_Anchor(index, index, attachment_mark=True))
            floor = index + 1
            continue
        start = index
        while start - 1 >= floor and index - start < MAX_TITLE_LINES - 1 and _is_title_fragment(lines[start - 1].text):
            start -= 1
        if speech and start == index:
            continue  # a speech subtitle without a title above it is not a document start
        if anchors and anchors[-1].attachment_mark and anchors[-1].index + 1 == start:
            # "附件" followed by the attachment's title: one anchor.
            anchors[-1].index = index
            floor = index + 1
            continue
        anchors.append(_Anchor(index, start, speech=speech))
        floor = index + 1
    return anchors


def _anchor_title(lines: list[Line], anchor: _Anchor) -> str:
    start = anchor.block_start + 1 if anchor.attachment_mark else anchor.block_start
    return "".join(line.text for line in lines[start : anchor.index + 1])


def _issues(notice_title: str, title: str) -> bool:
    """Whether a notice (关于印发《X》的通知) issues the measure titled ``title``."""
    return (
        bool(_ISSUING_NOTICE.search(notice_title))
        and kind_of(notice_title) == "通知"
        and _is_issued_by(title, notice_title)
    )


def _has_sentence(lines: list[Line]) -> bool:
    return any("。" in line.text or "！" in line.text for line in lines)


def split_documents(lines: list[Line]) -> tuple[list[Line], list[DocumentBlock]]:
    """(the issue's front matter, the documents in order)."""
    anchors = _find_anchors(lines)
    # Front matter (table of contents, masthead) has titles but no sentences under them.
    # A measure that is a table only (序号 / 任务 / 牵头单位 …) has no sentence, but the notice before it names it.
    kept: list[_Anchor] = []
    for position, anchor in enumerate(anchors):
        stop = anchors[position + 1].block_start if position + 1 < len(anchors) else len(lines)
        if _has_sentence(lines[anchor.index + 1 : stop]) or (
            kept and stop > anchor.index + 1 and _issues(_anchor_title(lines, kept[-1]), _anchor_title(lines, anchor))
        ):
            kept.append(anchor)
    if not kept:
        if _has_sentence(lines):
            return [], [_untitled_document(lines)]
        return lines, []

    documents: list[DocumentBlock] = []
    claimed_until = 0
    for position, anchor in enumerate(kept):
        stop = kept[position + 1].block_start if position + 1 < len(kept) else len(lines)
        document = _read_document(lines, anchor, stop, claimed_until)
        documents.append(document)
        claimed_until = stop
    _link_attachments(documents)
    front = lines[: documents[0].start] if documents else lines
    _name_speakers_bodies(documents, front)
    return front, documents


def _untitled_document(lines: list[Line]) -> DocumentBlock:
    """A file with prose but no recognisable title: one document, titled by its first line, or a body-only
    text (a 主送机关 line, the body, 特此通知) with no title, whose closing formula names its kind."""
    first = lines[0].text if lines else ""
    masthead = _is_issuer_name(first)  # 江临县人民政府办公室 over a body-only text names who issues it
    title = first if not masthead and not _SENTENCE_PUNCT.search(_without_quotes(first)) else ""
    body = lines[1:] if title or masthead else lines
    document = DocumentBlock(
        title=title, kind=kind_of(title) if title else None, body=list(body), start=0, end=len(lines)
    )
    _read_signature(document)
    if document.kind is None:
        document.kind = _closing_kind(document.body)
    if document.issuer is None and masthead:
        document.issuer = first
    return document


def _closing_kind(body: list[Line]) -> str | None:
    """特此通知 → 通知, 特此通报 → 通报, 特此函告 → 函: the last closing formula of the body."""
    for line in reversed(body[-8:]):
        found = _CLOSING_FORMULA.search(line.text)
        if found:
            word = found.group(1)
            return "函" if word.startswith("函") else word
    return None


def _read_document(lines: list[Line], anchor: _Anchor, stop: int, claimed_until: int) -> DocumentBlock:
    if anchor.attachment_mark:
        title_lines = lines[anchor.block_start + 1 : anchor.index + 1]
    else:
        title_lines = lines[anchor.block_start : anchor.index + 1]
    document = DocumentBlock(title="", kind=None, start=anchor.block_start, end=stop)
    document.is_attachment = anchor.attachment_mark

    if anchor.speech:
        subtitle = lines[anchor.index].text
        title_lines = title_lines[:-1]
        document.kind = "讲话"
        by_name = re.search(r"^[—－-]+([\u4e00-\u9fff]{2,4})同志在", subtitle)
        if by_name:
            document.speaker = by_name.group(1)
    title_lines = [line for line in title_lines if not _MASTHEAD.search(line.text) or line is title_lines[-1]]
    while len(title_lines) > 1 and _is_masthead_above(title_lines[0].text, "".join(x.text for x in title_lines[1:])):
        title_lines = title_lines[1:]
    document.title = "".join(line.text for line in title_lines)
    if document.kind is None:
        document.kind = attachment_kind(document.title) if anchor.attachment_mark else kind_of(document.title)
    first_raw = title_lines[0].raw if title_lines else ""
    document.title_issuer = _issuer_from_title(document.title, first_raw)

    # Header lines after the title: 发文字号, a date in brackets, the speaker.
    cursor = anchor.index + 1
    if cursor < stop and not anchor.speech and _TITLE_PERIOD.match(lines[cursor].text):
        document.title += lines[cursor].text  # …三年行动方案 / （2024—2026年）: the period is the title's
        cursor += 1
    header_end = min(stop, cursor + MAX_HEADER_LINES)
    while cursor < header_end:
        text = lines[cursor].text
        if is_doc_no_line(text) and document.doc_no is None:
            document.doc_no = normalise_doc_no(text)
        elif is_date_line(text) and document.date is None:
            document.date = parse_date(text)
        elif document.is_speech and document.speaker_title is None and _is_speaker_line(lines[cursor]):
            _read_speaker(document, lines[cursor])
        else:
            break
        cursor += 1

    # GB/T 9704 prints the 发文字号 above the title; accept one there if nobody claimed it.
    if document.doc_no is None and not anchor.attachment_mark:
        for back in range(anchor.block_start - 1, max(claimed_until, anchor.block_start - 3) - 1, -1):
            if back < 0:
                break
            if is_doc_no_line(lines[back].text):
                document.doc_no = normalise_doc_no(lines[back].text)
                document.start = back
                break
            if not _MASTHEAD.search(lines[back].text):
                break

    document.body = list(lines[cursor:stop])
    _read_signature(document)
    if document.issuer and document.title_issuer and _abbreviates(document.issuer, document.title_issuer):
        document.issuer = document.title_issuer  # signed 省政府办公厅, titled 广东省人民政府办公厅
    if document.issuer is None and not document.is_speech and document.kind != "政策解读":
        document.issuer = document.title_issuer
    if document.is_speech and document.issuer is None:
        document.issuer = _speaker_body(document.speaker_title) or (
            ((document.speaker_title or "") + (document.speaker or "")) or None
        )
    return document


_LEVEL_ONLY = re.compile(r"^(?:中共)?[省市县区州乡镇](?:委|政府|人民政府|人大|政协)")
# A place's head (江临县副县长, 江临旗旗长) speaks for its people's government.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,10}?[省市县区州旗盟]$")
_HEAD = re.compile(r"^副?[省市县区州旗盟乡镇]长$")


def _speaker_body(post: str | None) -> str | None:
    """The government body a speaker's post names in full: 江临市人民政府副市长 → 江临市人民政府. A post that
    names its body by level only (市政府市长, 市委副书记、市长) gives none: the body is not printed."""
    if not post:
        return None
    for word in sorted(_POST_WORDS, key=len, reverse=True):
        if post.endswith(word) and len(post) > len(word):
            body = post[: -len(word)].rstrip("、")
            if "、" in body or _LEVEL_ONLY.match(body) or len(body) < 3:
                return None
            if _PLACE.match(body):
                return body + "人民政府" if _HEAD.match(word) else None
            return body if looks_like_unit(body) else None
    return None


# A post that names its government by level only (市政府市长, 市委副书记、市长, 县政府副县长): the level's letter.
_LEVEL_GOVERNMENT_POST = re.compile(r"^(?:中共)?(?P<level>[省市县区州旗盟])(?:委|政府|人民政府)")
_GOVERNMENT_OF = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,10}?(?P<level>[省市县区州旗盟]))人民政府")


def _name_speakers_bodies(documents: list[DocumentBlock], front: list[Line]) -> None:
    """A speech whose speaker's post names the government by level only (市政府市长 in a city's gazette) is
    given by that level's people's government of the source: the one the source's other documents are issued by,
    or its masthead (江临市人民政府公报), the most frequent where several are printed."""
    speeches = [
        d for d in documents if d.is_speech and d.speaker_title and d.issuer == d.speaker_title + (d.speaker or "")
    ]
    if not speeches:
        return
    places: dict[str, Counter[str]] = {}
    names = [d.issuer or "" for d in documents if not d.is_speech] + [line.text for line in front]
    for name in names:
        match = _GOVERNMENT_OF.match(name)
        if match:
            places.setdefault(match["level"], Counter())[match["place"]] += 1
    for speech in speeches:
        post = speech.speaker_title or ""
        match = _LEVEL_GOVERNMENT_POST.match(post)
        if not match or not (
            "政府" in post or any(_HEAD.match(word) for word in re.split(r"[、，]", post[match.end() :]))
        ):
            continue
        counts = places.get(match["level"])
        if counts:
            speech.issuer = counts.most_common(1)[0][0] + "人民政府"


def _abbreviates(short: str, full: str) -> bool:
    """Whether a signature is the short form of the body the title names (省政府办公厅 for 广东省人民政府办公厅):
    its characters in order, the same last one."""
    if "、" in short or len(short) >= len(full) or short[-1] != full[-1] or _COUNTED_ISSUERS.search(full):
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def _is_masthead_above(line: str, title: str) -> bool:
    """A body's name printed on its own line above a title that names its issuer itself (江临市卫生健康委员会 /
    江临市卫生健康委关于…的通知) is the masthead, not the title's first line. Above 印发《…》的通知 or 关于…
    the name is the title's own issuer, broken onto a line of its own."""
    return _is_issuer_name(line) and _title_issuer_prefix(title) is not None


def _is_issuer_name(text: str) -> bool:
    return looks_like_unit(text) and "关于" not in text


def _title_issuer_prefix(title: str) -> str | None:
    """The issuing body a title opens with, before what it does (关于, 印发, 贯彻落实 …), if it has a body's shape."""
    verb = _TITLE_VERB.search(title)
    if verb is None or verb.start() < 2:
        return None
    prefix = title[: verb.start()]
    if looks_like_unit(prefix) or _COUNTED_ISSUERS.search(prefix):
        return prefix
    return None


def _issuer_from_title(title: str, first_raw: str) -> str | None:
    """ "驻马店市人民政府关于…" → "驻马店市人民政府"; joint issuers are kept together; "北京市人民政府贯彻落实
    国务院关于…" → "北京市人民政府"."""
    prefix = _title_issuer_prefix(title)
    if prefix is not None:
        return prefix
    position = title.find("关于")
    if position > 1:
        return title[:position]
    # "驻马店市人民政府 办公室文件" style mastheads aside, a raw first line split by a space.
    parts = first_raw.split(" ")
    if len(parts) > 1 and re.search(r"(?:政府|委员会|办公室|局|委|厅)$", parts[0]):
        return parts[0]
    return None


def _is_speaker_line(line: Line) -> bool:
    text = line.text
    if len(text) > 30 or _SENTENCE_PUNCT.search(text) or is_date_line(text):
        return False
    return " " in line.raw.strip() or any(word in text for word in _POST_WORDS)


def _read_speaker(document: DocumentBlock, line: Line) -> None:
    raw = line.raw.strip()
    if " " in raw:
        post, name = raw.rsplit(" ", 1)
        document.speaker_title = post.replace(" ", "") or None
        document.speaker = document.speaker or name
        return
    text = line.text
    for word in sorted(_POST_WORDS, key=len, reverse=True):
        position = text.rfind(word)
        if position >= 0 and 2 <= len(text) - position - len(word) <= 4:
            document.speaker_title = text[: position + len(word)]
            document.speaker = document.speaker or text[position + len(word) :]
            return
    document.speaker = document.speaker or text


SIGNATURE_TAIL = 5  # lines after the 成文日期 (附注, 抄送, page chrome) the signature may stand above
CHROME_TAIL = 10  # … or more, when none of them is a sentence (a website's links and buttons)
JOINT_SIGNATURE_LINES = 12  # a joint document's signing bodies, one or two to a line


def _read_signature(document: DocumentBlock) -> None:
    """Signature and 成文日期 at the end of the body: "驻马店市人民政府" / "二〇二〇年四月二十三日"; a joint
    document's bodies on several lines, two to a line ("江临市财政局    江临市教育局"): every one is the issuer."""
    body = document.body
    for offset in range(len(body) - 1, max(-1, len(body) - 1 - CHROME_TAIL), -1):
        text = body[offset].text
        if "。" in text and len(body) - offset > SIGNATURE_TAIL:
            return  # prose after the date: it is no 成文日期
        if not is_date_line(text):
            continue
        signed = parse_date(text)
        lines: list[str] = []
        first = offset
        back = offset - 1
        while back >= 0 and offset - back <= JOINT_SIGNATURE_LINES:
            candidate = body[back].text
            if (
                _SENTENCE_PUNCT.search(candidate)
                or marker_of(candidate)
                or len(candidate) > 40
                or is_date_line(candidate)
                or not re.search("[\u4e00-\u9fff]", candidate)
                or re.search(r"\d{3,}", candidate)
            ):
                break
            names = _signing_bodies(body[back].raw)
            if offset - back > 2 and not all(looks_like_unit(name) for name in names):
                break  # beyond two lines only signing bodies continue a signature
            lines.insert(0, body[back].raw.strip())
            first = back
            back -= 1
        if not lines and document.date is not None:
            return  # a date alone at the end of a speech or a list: not a signature
        document.date = signed or document.date
        if lines:
            issuers = [name for line in lines for name in _signing_bodies(line)]
            document.issuer = "、".join(dict.fromkeys(issuers))
        document.body = body[:first]
        return


def _signing_bodies(raw: str) -> list[str]:
    """The bodies one signature line names: "江临市财政局 江临市教育局" → both, when each part is a body's
    name; else the line is one name whose spaces are layout ("江 临 市 人 民 政 府")."""
    parts = raw.split()
    if len(parts) > 1 and all(looks_like_unit(part) and len(part) >= 3 for part in parts):
        return parts
    return ["".join(parts)]


def _normalised_title(title: str) -> str:
    return re.sub(r"[\s《》“”\"'‘’〈〉<>（）()、，,]", "", title)


def _link_attachments(documents: list[DocumentBlock]) -> None:
    """An issuing notice (关于印发《X》的通知, with a 文号 or none) and what follows it: X itself, under a 附件 mark
    or not, its title as the notice names it or drifting from it, takes the notice's date and issuer."""
    notice: DocumentBlock | None = None
    for document in documents:
        if not document.is_attachment and _ISSUING_NOTICE.search(document.title) and document.kind == "通知":
            notice = document
            continue
        if notice is None or document.doc_no or document.is_speech or document.kind == "政策解读":
            notice = None if document.doc_no or document.is_speech else notice
            continue
        if document.is_attachment or _is_issued_by(document.title, notice.title):
            document.is_attachment = True
            document.attachment_of = notice.doc_no
            document.notice = notice
            document.date = notice.date
            document.issuer = notice.issuer
        else:
            notice = None


_ISSUED = re.compile(r"(?:印发|转发|颁发|发布|公布)(?P<measure>.+?)(?:的)?通知$")


def _measure_key(title: str) -> str:
    """A title as a notice and its attachment both print it: no brackets, quotes, 的 or leading 关于."""
    key = _normalised_title(title).replace("的", "")
    return key[2:] if key.startswith("关于") else key


def _is_issued_by(title: str, notice_title: str) -> bool:
    """Whether a document is the measure a notice issues: its title inside the notice's (…实施方案 in 关于印发
    《…实施方案》的通知), or the same measure with a drifting 的 or 关于 (关于推进…实施方案 for 关于印发推进…实施方案
    的通知)."""
    own = _normalised_title(title)
    if own and own in _normalised_title(notice_title):
        return True
    issued = _ISSUED.search(_normalised_title(notice_title))
    own_key = _measure_key(title)
    if len(own_key) < 6:
        return False
    if own_key in _normalised_title(notice_title).replace("的", ""):
        return True
    return issued is not None and own_key == _measure_key(issued.group("measure"))


def document_year_hint(lines: list[Line]) -> int | None:
    """A year for documents without a date: the first full date or 发文字号 year in the text."""
    for line in lines:
        dates = find_dates(line.text)
        if dates:
            return dates[0][1].year
        match = DOC_NO.search(line.text)
        if match:
            return int(match.group("year"))
    return None
