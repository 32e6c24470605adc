"""The deals room's listing and conversation, for the tests of files sent in messages."""

from tests.marketplace.deals.conftest import achievement, conversation, interest  # noqa: F401
