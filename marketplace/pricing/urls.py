from django.urls import path

from marketplace.pricing import views

app_name = "pricing"

urlpatterns = [
    path("achievements/<int:pk>/pricing/", views.pricing_route, name="route"),
    path("achievements/<int:pk>/terms/", views.terms, name="terms"),
    path("achievements/<int:pk>/auction/", views.auction, name="auction"),
]
