"""URLs of the score pages (mounted at /scores/): a unit's month or year, a person's own consequences."""

from django.urls import path

from duban.scoring import views

app_name = "scoring"

urlpatterns = [
    path("mine/", views.my_consequences, name="my_consequences"),
    path("units/<int:unit_id>/", views.unit_score, name="unit_score_latest"),
    path("units/<int:unit_id>/<str:period>/", views.unit_score, name="unit_score"),
]
