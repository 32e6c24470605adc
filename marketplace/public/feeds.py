"""Atom feeds: the newest published listings of a technical field, and the listings a
saved search returns (its address carries a signed token, so a feed reader needs no
log-in; deleting the saved search ends the feed)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core import signing
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from marketplace.listings.kinds import model_for
from marketplace.public import selectors, seo
from marketplace.search.models import SavedSearch
from marketplace.search.selectors import listings_search

FEED_ITEMS = 50
_SALT = "keqiao.saved-search-feed"


def saved_search_token(saved_search: SavedSearch) -> str:
    return signing.dumps(saved_search.pk, salt=_SALT, compress=False)


def saved_search_feed_url(saved_search: SavedSearch) -> str:
    return reverse("public:saved_search_feed", args=[saved_search_token(saved_search)])


class _ListingFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item) -> str:
        return f"[{item.kind_label}] {item.shown_title}"

    def item_description(self, item) -> str:
        return item.shown_summary

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item) -> str:
        return item.organization.display_name

    def item_categories(self, item) -> list[str]:
        return [f.name for f in item.fields.all()]

    def feed_url(self, obj) -> str:
        return seo.absolute(self.request_path)

    def __call__(self, request, *args, **kwargs):
        self.request_path = request.path
        return super().__call__(request, *args, **kwargs)


class FieldFeed(_ListingFeed):
    def get_object(self, request, code: str):
        return selectors.field_or_404(code)

    def title(self, field) -> str:
        return _("Keqiao · new listings in %(field)s") % {"field": field.name}

    def subtitle(self, field) -> str:
        return _("Research achievements and technical challenges newly published in %(field)s.") % {
            "field": field.name
        }

    def link(self, field) -> str:
        return f"{reverse('search:achievement_list')}?field={field.code}"

    def items(self, field) -> list:
        return selectors.listings_in_field(field, FEED_ITEMS)


class SavedSearchFeed(_ListingFeed):
    def get_object(self, request, token: str):
        try:
            pk = signing.loads(token, salt=_SALT)
        except signing.BadSignature:
            raise Http404(_("This feed address is not valid.")) from None
        try:
            return SavedSearch.objects.get(pk=pk)
        except SavedSearch.DoesNotExist:
            raise Http404(_("This saved search was deleted.")) from None

    def title(self, saved) -> str:
        return _("Keqiao · saved search “%(name)s”") % {"name": saved.name}

    def subtitle(self, saved) -> str:
        return _("The newest published listings that this saved search returns.")

    def link(self, saved) -> str:
        return saved.get_absolute_url()

    def items(self, saved) -> list:
        params = QueryDict(mutable=True)
        params.update(saved.params)
        params.setlist("sort", ["newest"])
        params.pop("page", None)
        results = listings_search(model_for(saved.kind), params, per_page=FEED_ITEMS)
        return list(results.page.object_list)
