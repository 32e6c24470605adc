from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from marketplace.public import feeds, views
from marketplace.public.sitemaps import SITEMAPS

app_name = "public"

SITEMAP_CACHE_SECONDS = 3600

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("site.webmanifest", views.web_manifest, name="web_manifest"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(views.sitemap_index),
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("organizations/<int:pk>/", views.organization_page, name="organization"),
    path("organizations/<int:pk>/widget/", views.organization_widget, name="organization_widget"),
    path("feeds/fields/<slug:code>/", feeds.FieldFeed(), name="field_feed"),
    path("feeds/saved-searches/<str:token>/", feeds.SavedSearchFeed(), name="saved_search_feed"),
]
