from django.urls import path

from marketplace.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("reports/", views.overview, name="overview"),
    path("reports/<slug:figure>.csv", views.figure_csv, name="figure_csv"),
]
