"""Top-level URLs: the home page, the rooms' pages and the admin moderation desk."""

from django.contrib import admin
from django.urls import include, path

from marketplace.listings import views as listing_views

urlpatterns = [
    path("", listing_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    # Observability (issue 12 item 6): /healthz, /healthz/live, /metrics.
    path("", include("marketplace.observability.urls")),
    path("notifications/", include("marketplace.notifications.urls")),
    path("", include("marketplace.dashboard.urls")),
    path("", include("marketplace.search.urls")),
    path("", include("marketplace.matching.urls")),
    path("", include("marketplace.deals.urls")),
    path("", include("marketplace.brokers.urls")),
    path("", include("marketplace.public.urls")),
    path("", include("marketplace.bulk.urls")),
    # --- webhooks (organisation owners' endpoints) ---
    path("", include("marketplace.webhooks.urls")),
    path("", include("marketplace.listings.urls")),
]
