from django.urls import path

from duban.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.tongbao_cycles, name="tongbao"),
    path("tongbao/<str:code>/", views.tongbao_period, name="tongbao_period"),
    path("tongbao/<str:code>/<str:fmt>/", views.tongbao_download, name="tongbao_download"),
]
