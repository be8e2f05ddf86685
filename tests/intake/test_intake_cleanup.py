from duban.intake.cleanup import clean_lines, clean_text, normalise_chars


def test_page_break_inside_a_number_is_joined():
    text = "到2022年和2030年，5岁以下儿童生长迟缓率分别低于7%和\n\n5%。（市卫健体委牵头，市教育局按职责分工负责）"
    assert (
        clean_text(text)
        == "到2022年和2030年，5岁以下儿童生长迟缓率分别低于7%和5%。（市卫健体委牵头，市教育局按职责分工负责）"
    )


def test_page_break_inside_a_word_is_joined():
    assert (
        clean_text("为贯彻落实健康中国战略，推进健康驻马\n\n店行动，提出以下意见。")
        == "为贯彻落实健康中国战略，推进健康驻马店行动，提出以下意见。"
    )


def test_headings_titles_and_dates_are_not_joined():
    text = "一、总体目标\n\n到2025年，建成一批示范项目。\n\n某某市人民政府\n\n2021年3月5日\n"
    assert clean_text(text).split("\n") == [
        "一、总体目标",
        "到2025年，建成一批示范项目。",
        "某某市人民政府",
        "2021年3月5日",
    ]


def test_running_headers_are_detected_by_repetition_not_by_name():
    page = "这是第{n}页的正文内容，讲的是城市管理工作的安排和要求，文字较长用来填满一行的宽度"
    pages = []
    for n in range(1, 6):
        pages.append(f"洛阳市人民政府公报\n{page.format(n=n)}\n- {n} -")
    text = "\f".join(pages)
    cleaned = clean_text(text)
    assert "洛阳市人民政府公报" not in cleaned
    assert "- 1 -" not in cleaned
    assert cleaned.count("城市管理工作") == 5


def test_running_header_without_the_word_gazette():
    # A header that repeats mid-sentence on every page is dropped, whatever it says.
    body = [f"这一段讲的是第{i}项工作，必须在规定时间内完成，各单位要" for i in range(6)]
    text = "\n".join(f"{b}\n开封市政务信息\n认真落实。" for b in body)
    cleaned = clean_text(text)
    assert "开封市政务信息" not in cleaned
    assert "各单位要认真落实。" in cleaned


def test_signatures_that_repeat_are_kept():
    doc = "关于某事的通知\n各单位要认真落实。\n某某市人民政府\n2020年1月2日\n"
    cleaned = clean_text(doc * 4)
    assert cleaned.count("某某市人民政府") == 4


def test_punctuation_digits_and_variants():
    assert normalise_chars("制定管理辦法,完善制度;达到９２.０８％") == "制定管理办法，完善制度；达到92.08%"
    assert normalise_chars("(驻政〔2020〕20 号)") == "（驻政〔2020〕20 号）"
    assert normalise_chars("思想 and 党的十九大") == "思想和党的十九大"
    assert normalise_chars("- （一）问题通报；") == "（一）问题通报；"
    # Latin content stays: acronyms and half-width numbers in Latin context.
    assert "GDP" in normalise_chars("一时的GDP而无序招商") and "(JGJ39)" in normalise_chars("规范》(JGJ39) 和国家")


def test_layout_spaces_are_removed_but_raw_keeps_them():
    lines = clean_lines("市政府市长 朱是西\n驻政〔2020〕23 号")
    assert [line.text for line in lines] == ["市政府市长朱是西", "驻政〔2020〕23号"]
    assert lines[0].raw == "市政府市长 朱是西"


def test_a_line_of_responsible_units_closes_its_paragraph():
    text = "责任单位：县住建局、县自然资源局、县不动产登记中心\n各乡镇可参照本意见制定细则。"
    assert clean_text(text).split("\n") == [
        "责任单位：县住建局、县自然资源局、县不动产登记中心",
        "各乡镇可参照本意见制定细则。",
    ]
    # A list broken after 、 goes on.
    assert clean_text("责任单位：县住建局、\n县自然资源局") == "责任单位：县住建局、县自然资源局"


def test_a_closing_square_or_tortoise_bracket_ends_a_paragraph():
    text = "整治背街小巷。〔区城管局负责〕\n（二）改造老旧管网。"
    assert clean_text(text).split("\n") == ["整治背街小巷。〔区城管局负责〕", "（二）改造老旧管网。"]
    text = "整治背街小巷。[区城管局负责]\n加强日常巡查。"
    assert clean_text(text).split("\n") == ["整治背街小巷。[区城管局负责]", "加强日常巡查。"]
