from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.scoring import views as scoring_views
from duban.web import views

admin.site.site_header = "督办 · 督查落实管理平台"
admin.site.site_title = "督办"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("exposures/", views.exposures, name="exposures"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("workbench/", views.workbench, name="workbench"),
    path("assessment/", scoring_views.assessment, name="assessment"),
    path("dashboards/", include("duban.dashboards.urls")),
    path("scores/", include("duban.scoring.urls")),
    path("reports/scores/", include("duban.reports.score_urls")),
    path("ledger/", include("duban.ledger.urls")),
    path("cases/", include("duban.accountability.urls")),
    path("reports/", include("duban.reports.urls")),
    path("documents/", include("duban.reports.document_urls")),
    path("admin/", admin.site.urls),
]
