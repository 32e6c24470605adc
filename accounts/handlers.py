"""What accounts do when the outbox hands them an event (registered in ``apps.ready``)."""

from accounts.forms import PASSWORD_RESET_REQUESTED, EmailPasswordResetForm
from marketplace import limits
from marketplace.outbox.handlers import register


@register(PASSWORD_RESET_REQUESTED, background=True)
def password_reset_send(payload: dict) -> None:
    # Run twice, it sends a second link; both work until one is used, so that is harmless.
    form = EmailPasswordResetForm({"email": payload["email"]})
    if form.is_valid() and limits.address_allowed(payload["email"]):
        form.send_now()
