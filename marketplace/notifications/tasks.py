"""Delivery tasks. They take plain JSON arguments and are safe to retry."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_deliver(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
