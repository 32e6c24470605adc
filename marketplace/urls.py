"""Top-level URLs."""

from django.urls import include, path

urlpatterns: list = []
