"""Two bids at the same step, at the same moment, from two connections: the auction row's
lock (SELECT … FOR UPDATE) lets exactly one through; the other sees the new highest bid and
is refused. Without the lock both would read "no bids yet" and both be accepted."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

import pytest
from django.db import connection

from marketplace.pricing import selectors, services
from marketplace.pricing.models import Bid
from marketplace.refusals import Refused


# Serialized rollback, like the other transactional tests: the flush after it must not
# re-create the content types that the next serialized test restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_bids_at_the_same_step_exactly_one_wins(
    auction, ent_user, rival, monkeypatch
):
    # Both bids are valid alone (≥ start price) but not together (they differ by less than
    # the increment). The barrier holds each bid after it read the highest bid, until the
    # other got as far or a second passed: with the lock, the second bid waits at the lock
    # instead, so the first goes on alone after the timeout.
    barrier = threading.Barrier(2, timeout=1)
    read_minimum = selectors.minimum_bid

    def minimum_then_wait(auction, highest):
        value = read_minimum(auction, highest)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return value

    monkeypatch.setattr(selectors, "minimum_bid", minimum_then_wait)
    outcomes: dict[str, object] = {}

    def bid(name, user, amount):
        try:
            outcomes[name] = services.bid_place(auction=auction, user=user, amount=amount)
        except Refused as refusal:
            outcomes[name] = refusal
        finally:
            connection.close()

    threads = [
        threading.Thread(target=bid, args=("ent", ent_user, Decimal("1000"))),
        threading.Thread(target=bid, args=("rival", rival, Decimal("1005"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert Bid.objects.count() == 1
    winners = [o for o in outcomes.values() if isinstance(o, Bid)]
    losers = [o for o in outcomes.values() if isinstance(o, Refused)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].status == 400
    assert "1010" in str(losers[0].fields["amount"]) or "1015" in str(losers[0].fields["amount"])
