"""The import's steps, run by the outbox after the commit that asked for them."""

from marketplace.bulk import services
from marketplace.outbox.handlers import register


@register(services.CHECK, background=True)
def check_chunk(payload: dict) -> None:
    services.import_check_chunk(batch_id=payload["batch"], start=payload["start"])


@register(services.RUN, background=True)
def run_import(payload: dict) -> None:
    services.import_run(batch_id=payload["batch"])
