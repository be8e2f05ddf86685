"""URLs of the accountability pages (mounted at /cases/)."""

from django.urls import path

from duban.accountability import views

app_name = "accountability"

urlpatterns = [
    path("", views.cases, name="cases"),
    path("rulebook/", views.rulebook, name="rulebook"),
    path("new/", views.case_new, name="case_new"),
    path("exemption/new/", views.exemption_new, name="exemption_new"),
    path("from-task/<int:task_id>/", views.case_open_from_task, name="case_open_from_task"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/agree/", views.case_agree, name="case_agree"),
    path("<int:pk>/return/", views.case_return, name="case_return"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/letter/issue/", views.case_letter_issue, name="case_letter_issue"),
    path("<int:pk>/letter/received/", views.case_letter_received, name="case_letter_received"),
    path("decisions/mine/", views.my_decisions, name="my_decisions"),
    path("decisions/import/", views.decision_import, name="decision_import"),
    path("decisions/<int:pk>/letter/", views.decision_letter, name="decision_letter"),
    path("decisions/<int:pk>/appeal/", views.appeal_file, name="appeal_file"),
    path("decisions/<int:pk>/appeal/decide/", views.appeal_decide, name="appeal_decide"),
    path("decisions/<int:pk>/referral/", views.referral_new, name="referral_new"),
    path("appeals/", views.appeals, name="appeals"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/result/", views.referral_result, name="referral_result"),
    path("rectification/", views.rectifications, name="rectifications"),
    path("decisions/<int:pk>/rectification/", views.rectification_new, name="rectification_new"),
    path("rectification/<int:pk>/report/", views.rectification_report, name="rectification_report"),
    path("rectification/<int:pk>/review/", views.rectification_review, name="rectification_review"),
]
