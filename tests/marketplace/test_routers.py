"""The replica router: reads go to the replica only inside ``replica_reads()``, never writes,
never inside a transaction on the primary, never without a replica; and the dashboard's
figures really run on the replica's connection, none of them on the primary's."""

from __future__ import annotations

import copy
import types
from datetime import date

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from marketplace import routers
from marketplace.dashboard.selectors import FIGURES, Period, dashboard_figures
from marketplace.listings.models import Achievement
from marketplace.routers import REPLICA_DB_ALIAS, ReplicaRouter, replica_reads
from tests.marketplace.dashboard.support import PERIOD_QUERY, build_dataset

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def with_replica_alias(monkeypatch):
    """Routing as when DATABASE_REPLICA_URL is set (no connection is opened)."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_the_router_is_installed(settings):
    assert settings.DATABASE_ROUTERS == ["marketplace.routers.ReplicaRouter"]


@pytest.mark.django_db
def test_without_a_replica_reads_stay_on_the_primary():
    with replica_reads():
        assert Achievement.objects.all().db == "default"


def test_reads_go_to_the_replica_only_inside_the_block(with_replica_alias):
    assert Achievement.objects.all().db == "default"
    with replica_reads():
        assert Achievement.objects.all().db == REPLICA_DB_ALIAS
        assert router.db_for_read(Achievement) == REPLICA_DB_ALIAS
    assert Achievement.objects.all().db == "default"


def test_writes_never_go_to_the_replica(with_replica_alias):
    with replica_reads():
        assert router.db_for_write(Achievement) == "default"


def test_reads_inside_a_transaction_on_the_primary_stay_there(with_replica_alias, monkeypatch):
    # As inside transaction.atomic() (the tests' own transaction would hide the difference).
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads():
        # A read here must see the transaction's own writes, which the replica has not got.
        assert Achievement.objects.all().db == "default"


def test_the_block_ends_even_when_it_raises(with_replica_alias):
    with pytest.raises(ValueError), replica_reads():
        raise ValueError
    assert Achievement.objects.all().db == "default"


def test_as_a_decorator(with_replica_alias):
    @replica_reads()
    def read() -> str:
        return Achievement.objects.all().db

    assert read() == REPLICA_DB_ALIAS
    assert Achievement.objects.all().db == "default"


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate("default", "listings")
    assert not ReplicaRouter().allow_migrate(REPLICA_DB_ALIAS, "listings")


# --- With a real second connection ----------------------------------------------------------
# Transactional tests: in the tests' usual transaction every read stays on the primary (see
# above), and a second connection could not see the uncommitted data anyway. The serialized
# rollback gives the data migrations' rows (technical fields) back to the tests after these.


@pytest.fixture
def replica_connection(settings, monkeypatch):
    """A ``replica`` alias on its own connection to the test database (the data is committed
    by a transactional test, so that connection sees it as a replica would)."""
    conf = copy.deepcopy(connections["default"].settings_dict)
    # settings.DATABASES is the dict the connection handler reads its aliases from.
    monkeypatch.setitem(settings.DATABASES, REPLICA_DB_ALIAS, conf)
    replica = connections[REPLICA_DB_ALIAS]
    # The test case refuses connections to aliases it did not know when it started (this
    # one is made afterwards): connect as Django's own ensure_connection() does.
    replica.ensure_connection = types.MethodType(_connect_once, replica)
    yield replica
    connections[REPLICA_DB_ALIAS].close()
    del connections[REPLICA_DB_ALIAS]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboard_figures_run_on_the_replica(replica_connection):
    build_dataset()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica_connection) as replica,
    ):
        on_replica = dashboard_figures("guangdong", YEAR)
        csv_figure = FIGURES["contracts"]("guangdong", YEAR)
    assert len(primary) == 0, [q["sql"] for q in primary]
    assert len(replica) > 0
    # The same figures as read from the primary.
    with CaptureQueriesContext(replica_connection) as replica_after:
        on_primary = {key: figure("guangdong", YEAR) for key, figure in _unwrapped().items()}
    assert len(replica_after) == 0
    assert [f.table for f in on_replica] == [f.table for f in on_primary.values()]
    assert csv_figure.table == on_primary["contracts"].table


def _connect_once(connection) -> None:
    if connection.connection is None:
        with connection.wrap_database_errors:
            connection.connect()


def _unwrapped() -> dict:
    # replica_reads() wraps each figure with functools.wraps: the original is __wrapped__.
    return {key: figure.__wrapped__ for key, figure in FIGURES.items()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reports_page_reads_figures_from_the_replica(replica_connection, moderator, client):
    build_dataset()
    client.force_login(moderator)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica_connection) as replica,
    ):
        response = client.get(f"/reports/?{PERIOD_QUERY}")
    assert response.status_code == 200
    assert any("deals_contract" in q["sql"] for q in replica)
    # The session, the user and the navbar stay on the primary; no figure is read there.
    assert not any("deals_contract" in q["sql"] for q in primary)
    assert not any("matching_match" in q["sql"] for q in primary)
