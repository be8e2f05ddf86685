from django.urls import path

from duban.reports import document_views as views

app_name = "documents"

urlpatterns = [
    path("orders/<int:pk>/", views.order_document, name="order"),
    path("decisions/<int:pk>/opinion-letter/", views.opinion_letter_document, name="opinion_letter"),
    path("decisions/<int:pk>/notice/", views.criticism_notice_document, name="criticism_notice"),
    path("ranking/", views.ranking_notice_document, name="ranking_notice"),
    path("assessment/", views.assessment_document, name="assessment"),
    path("templates/", views.templates_page, name="templates"),
    path("templates/<str:name>/", views.template_download, name="template"),
    path("templates/<str:name>/replace/", views.template_replace, name="template_replace"),
]
