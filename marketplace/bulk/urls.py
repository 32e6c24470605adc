from django.urls import path

from marketplace.bulk import views

app_name = "bulk"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/import/", views.import_confirm, name="import_confirm"),
    path("imports/template/<str:kind>.<str:fmt>", views.import_template, name="template"),
    path("exports/<str:what>.<str:fmt>", views.export, name="export"),
]
