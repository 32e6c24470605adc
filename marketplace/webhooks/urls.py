from django.urls import path

from marketplace.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("organization/webhooks/", views.endpoint_list, name="list"),
    path("organization/webhooks/<int:pk>/", views.endpoint_detail, name="detail"),
    path("organization/webhooks/<int:pk>/test/", views.endpoint_test, name="test"),
    path("organization/webhooks/<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("organization/webhooks/<int:pk>/disable/", views.endpoint_disable, name="disable"),
    path("organization/webhooks/<int:pk>/secret/", views.endpoint_secret, name="secret"),
    path("organization/webhooks/<int:pk>/delete/", views.endpoint_delete, name="delete"),
    path(
        "organization/webhooks/deliveries/<int:pk>/resend/",
        views.delivery_resend,
        name="resend",
    ),
]
