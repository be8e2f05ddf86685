"""Files to text: plain text (UTF-8, GB18030/GBK detected), PDF, DOCX, legacy .doc/.wps, images.

A PDF's pages without a text layer and images (PNG, JPEG, TIFF, BMP) are read by OCR
(duban.intake.ocr); .doc and .wps are converted to DOCX by LibreOffice (duban.intake.legacy).
``read_source`` / ``read_source_bytes`` say which pages OCR read, so the extraction can mark them.
Anything that is not a readable Chinese document (missing, empty, binary, a spreadsheet) raises
InputError with a message that names the problem.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from duban.errors import InputError
from duban.intake.tables import docx_lines, pdf_page_text

MAX_BYTES = 200 * 1024 * 1024

# The most frequent Chinese characters. Real documents draw most of their characters from this
# set; bytes of another format decoded as GB18030 draw almost none from it.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
    "里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从"
    "想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头"
    "文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提"
    "立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务"
    "做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像"
    "难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导"
    "争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗"
    "字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器"
    "容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周"
    "较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章"
    "音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻"
    "父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久"
    "错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷"
    "警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协"
    "角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份"
    "穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨"
    "丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋"
    "画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭"
    "妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂"
    "旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森"
    "塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购"
    "替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍"
    "页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵尖扫"
)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Reading:
    """A file's text, and whether (and where) OCR read it: ``ocr_pages`` are the 1-based pages or
    image frames whose text came from OCR."""

    text: str
    ocr_pages: tuple[int, ...] = ()

    @property
    def ocr(self) -> bool:
        return bool(self.ocr_pages)


def read_document(path: str | Path) -> str:
    """The text of a document file. Raises InputError for anything that is not one."""
    return read_source(path).text


def read_bytes(data: bytes, name: str = "input") -> str:
    """The text of a document given as bytes (an upload); `name` only labels messages."""
    return read_source_bytes(data, name).text


def read_source(path: str | Path) -> Reading:
    """A document file read (see Reading). Raises InputError for anything that is not one."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a document")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size} bytes is more than a gazette issue can be ({MAX_BYTES} bytes at most)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return read_source_bytes(data, str(path))


def read_source_bytes(data: bytes, name: str = "input") -> Reading:
    """A document given as bytes read (see Reading); `name` labels messages, its suffix a legacy file's kind."""
    from duban.intake import legacy, ocr

    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    ocr_pages: tuple[int, ...] = ()
    image = ocr.image_kind(data)
    if data.startswith(b"%PDF"):
        text, ocr_pages = _pdf_text(data, name)
    elif data.startswith(b"PK\x03\x04"):
        text = _docx_text(io.BytesIO(data), name)
    elif data.startswith(legacy.OLE_SIGNATURE):
        converted = legacy.convert_to_docx(data, name, Path(name).suffix.lower())
        text = _docx_text(io.BytesIO(converted), name)
    elif image is not None:
        pages = ocr.ocr_image(data, name)
        if not _CJK.search("".join(pages)):
            raise InputError(f"{name}: no Chinese text recognised in the image ({image}; OCR found none)")
        text, ocr_pages = "\f".join(pages), tuple(range(1, len(pages) + 1))
    else:
        text = decode_text(data, name)
    ensure_document(text, name)
    return Reading(text, ocr_pages)


def decode_text(data: bytes, path: Path | str = "input") -> str:
    """Decode a text file: BOMs, UTF-8, then the GB family (decoded as GB18030, their superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError(f"{path}: binary data, not a text document")
    from charset_normalizer import from_bytes

    # charset-normalizer proposes encodings; GB18030 (superset of GB2312/GBK) is always tried.
    # Short Chinese texts are easily mistaken for another code page, so the candidate whose
    # decoding reads most like Chinese wins.
    candidates: list[str] = []
    for match in list(from_bytes(data))[:5]:
        if match.encoding:
            encoding = match.encoding.lower().replace("-", "").replace("_", "")
            name = "gb18030" if encoding in ("gb2312", "gbk", "hz", "gb18030", "cp936") else match.encoding
            if name not in candidates:
                candidates.append(name)
    for name in ("gb18030", "big5"):
        if name not in candidates:
            candidates.append(name)
    best: tuple[float, str] | None = None
    for name in candidates:
        try:
            decoded = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _chinese_score(decoded)
        if best is None or score > best[0]:
            best = (score, decoded)
    if best is None:
        raise InputError(f"{path}: not a text document (no known text encoding fits)")
    return best[1]


def _chinese_score(text: str) -> float:
    hanzi = _CJK.findall(text)
    if not hanzi:
        return 0.0
    return sum(1 for ch in hanzi if ch in _COMMON_HANZI) / len(hanzi) + min(len(hanzi), 1000) / 100000


def ensure_document(text: str, path: Path | str = "input") -> None:
    """Reject text that is not a Chinese document: binary junk, no or hardly any Chinese."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{path}: no text in the document")
    if len(_CONTROL.findall(stripped)) > max(3, len(stripped) // 50) or stripped.count("\ufffd") > max(
        3, len(stripped) // 50
    ):
        raise InputError(f"{path}: binary data, not a text document")
    hanzi = _CJK.findall(stripped)
    if len(hanzi) < 10:
        raise InputError(f"{path}: no Chinese text found; not an official document")
    common = sum(1 for ch in hanzi if ch in _COMMON_HANZI)
    if common < 0.3 * len(hanzi):
        raise InputError(f"{path}: the text is not readable Chinese (wrong encoding or not a document)")


def _pdf_text(data: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """The PDF's text layer, page by page; pages without Chinese text are read by OCR (their numbers
    returned). Without OCR installed, a PDF whose text layer has Chinese is read as it is."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise InputError("reading PDF needs pdfplumber") from exc
    # pdfminer logs font quirks of perfectly readable files as warnings; stderr is for our one line.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            # A form feed marks each page break; cleanup treats it like the blank lines it is.
            # Ruled tables are read as tables (tables.pdf_page_text), the rest of each page as text.
            pages = [pdf_page_text(page) for page in pdf.pages]
            # A page that prints something (an image, drawn outlines) but no text may be a scan.
            marked = [bool(page.images or page.curves) for page in pdf.pages]
            longest = [float(max(page.width, page.height)) for page in pdf.pages]
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise InputError(f"{name}: the PDF cannot be read ({type(exc).__name__})") from exc
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    scanned = [number for number, page in enumerate(pages, start=1) if not _CJK.search(page)]
    if len(scanned) < len(pages):  # a document with a text layer: only its pages of images are scans
        scanned = [number for number in scanned if marked[number - 1]]
    if scanned:
        from duban.intake import ocr

        try:
            texts = ocr.ocr_pdf_pages(data, scanned, name, longest)
        except InputError:
            if len(scanned) < len(pages):
                return "\f".join(pages), ()
            raise
        for number, text in texts.items():
            pages[number - 1] = text
        scanned = [number for number in scanned if _CJK.search(texts[number])]
        if not scanned and not _CJK.search("".join(pages)):
            raise InputError(f"{name}: the PDF has no text layer and OCR recognised no Chinese text on its pages")
    return "\f".join(pages), tuple(scanned)


def _docx_text(path: io.BytesIO, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise InputError(f"{name}: a ZIP archive, not a Word document")
    except zipfile.BadZipFile as exc:
        raise InputError(f"{name}: a damaged ZIP/DOCX file") from exc
    try:
        import docx

        document = docx.Document(path)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name}: the Word document cannot be read ({type(exc).__name__})") from exc
    return "\n".join(docx_lines(document))
