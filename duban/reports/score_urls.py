"""URLs of the score workbooks (mounted at /reports/scores/)."""

from django.urls import path

from duban.reports import score_views

app_name = "score_exports"

urlpatterns = [
    path("ranking.xlsx", score_views.ranking_workbook, name="ranking"),
    path("assessment.xlsx", score_views.assessment_workbook, name="assessment"),
    path("hr.xlsx", score_views.hr_workbook, name="hr"),
]
