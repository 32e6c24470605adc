from django.urls import path

from marketplace.observability import views

app_name = "observability"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("metrics", views.metrics, name="metrics"),
]
