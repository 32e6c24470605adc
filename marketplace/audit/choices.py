"""What an audit entry records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Decisions taken through the services, wherever they are called from.
    LISTING_PUBLISH = "listing.publish", _("Listing published")
    LISTING_REJECT = "listing.reject", _("Listing rejected")
    ORGANIZATION_VERIFY = "organization.verify", _("Organisation verified")
    ORGANIZATION_UNVERIFY = "organization.unverify", _("Organisation verification withdrawn")
    MEMBERSHIP_GRANT = "membership.grant", _("Membership granted")
    MEMBERSHIP_APPROVE = "membership.approve", _("Membership request approved")
    MEMBERSHIP_DECLINE = "membership.decline", _("Membership request declined")
    # Edits in Django admin, of any model.
    ADMIN_ADD = "admin.add", _("Added in admin")
    ADMIN_CHANGE = "admin.change", _("Changed in admin")
    ADMIN_DELETE = "admin.delete", _("Deleted in admin")
    ADMIN_ACTION = "admin.action", _("Admin action")
