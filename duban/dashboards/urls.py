from django.urls import path

from duban.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.office, name="office"),
    path("statistics.xlsx", views.office_xlsx, name="statistics-xlsx"),
    path("unit/", views.my_unit, name="my-unit"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
]
