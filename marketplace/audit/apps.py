from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "marketplace.audit"
    label = "audit"
    verbose_name = _("Audit log")
    default = True


class AuditedAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our site as ``admin.site``, so that every ModelAdmin any
    app registers (ours, Django's, third parties') has its edits recorded; no admin can
    forget to opt in. Named in INSTALLED_APPS in place of ``django.contrib.admin``."""

    default = False  # not this module's default: that is AuditConfig
    default_site = "marketplace.audit.site.AuditedAdminSite"
