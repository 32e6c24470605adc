"""Admin of the listings room: the moderation desk (``moderation``) and the records around
listings (``records``). Importing this package registers both with the admin site."""

from marketplace.listings.admin import moderation, records  # noqa: F401 - registers
