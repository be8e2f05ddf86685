"""A sample context for each template the office may replace: the same names the writers of
duban/reports/notices.py pass, with made-up values, so a replacement is rendered once before it is saved
(an unknown field, a broken tag or a file that is no Word document is refused then, not at the next download)."""

from __future__ import annotations

from typing import Any

from duban.reports import tongbao_template


def _frame(title: str) -> dict[str, Any]:
    body = [{"level": 1, "text": "一、基本情况"}, {"level": 0, "text": "正文示例。"}]
    return {
        "jurisdiction": "示例市",
        "mark": "示例市人民政府督查室",
        "issuer": "示例市人民政府督查室",
        "printer": "示例市人民政府督查室",
        "reference": "示督〔2020〕1号",
        "title": title,
        "recipient": "各县区人民政府，市政府各部门：",
        "date": "2020年12月10日",
        "printed_on": "2020年12月10日",
        "body": body,
        "after": body,
        "articles": body,
        "closing": body,
    }


def _ranking_row() -> dict[str, Any]:
    return {"rank": 1, "unit": "示例局", "base": 100, "deducted": 0, "score": 100}


SAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "order.docx": (
        "督办单",
        {
            **_frame("督 办 单"),
            "task": "示例任务",
            "source": "示例文件",
            "deadline": "2020年9月30日",
            "reply_by": "2020年10月16日",
            "status": "待回复",
        },
    ),
    "opinion-letter.docx": ("督查问责意见书", _frame("督查问责意见书")),
    "criticism-notice.docx": ("通报批评／公开曝光", _frame("关于对示例局予以通报批评的通报")),
    "ranking-notice.docx": (
        "督查事项月排名通报",
        {**_frame("关于2020年7月份督查事项排名情况的通报"), "rows": [_ranking_row()]},
    ),
    "assessment.docx": (
        "年度综合目标考核（加减分事项）",
        {
            **_frame("2020年度综合目标考核督查问责加减分情况"),
            "rows": [
                {
                    **_ranking_row(),
                    "award": "—",
                    "exposures": "—",
                    "rectifications": "—",
                    "civilized": "—",
                }
            ],
        },
    ),
    "tongbao.docx": tongbao_template.SAMPLE,
}
