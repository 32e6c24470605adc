"""The audit log: who changed what, when, with the values before and after.

Services record their decisions (moderation, verification, memberships) with
``services.audit_record`` inside their own transactions; every Django admin edit is recorded
by the admin site itself (``site.AuditedAdminSite``). The table is append-only, enforced by
a PostgreSQL trigger; superusers read it in admin.
"""
