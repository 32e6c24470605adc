from django.urls import path

from marketplace.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("reports/", views.overview, name="overview"),
    path(
        "reports/contract-registration.<str:fmt>",
        views.contracts_registration,
        name="contracts_registration",
    ),
    path("reports/<slug:figure>.csv", views.figure_csv, name="figure_csv"),
]
