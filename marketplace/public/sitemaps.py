"""``/sitemap.xml``: published listings, public organisations and the list pages, each in
both languages (``?lang=``) with hreflang alternates, paged as the sitemaps protocol asks."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from marketplace.listings.choices import ListingStatus
from marketplace.public import seo
from marketplace.public.selectors import PUBLIC_KINDS, organizations_public


class _EachLanguage:
    """A lazy sequence of (object, language) pairs over a queryset: the paginator slices it,
    so one page reads only its own rows however many listings there are."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset
        self.languages = seo.LANGUAGE_CODES

    def __len__(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        n = len(self.languages)
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        rows = list(self.queryset[start // n : (stop + n - 1) // n])
        pairs = [(row, lang) for row in rows for lang in self.languages]
        offset = start - (start // n) * n
        return pairs[offset : offset + (stop - start)]


class _BilingualSitemap(Sitemap):
    limit = 20000  # URLs per page (the protocol allows 50,000)

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def path(self, obj) -> str:
        raise NotImplementedError

    def location(self, item) -> str:
        obj, lang = item
        with translation.override(lang):
            path = self.path(obj)
        return f"{path}?{seo.LANG_PARAM}={lang}"

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            base = url["location"].split("?", 1)[0]
            url["alternates"] = [
                {"lang_code": seo.HREFLANG[code], "location": f"{base}?{seo.LANG_PARAM}={code}"}
                for code in seo.LANGUAGE_CODES
            ] + [{"lang_code": "x-default", "location": base}]
        return urls


class ListingSitemap(_BilingualSitemap):
    changefreq = "weekly"

    def __init__(self, kind: str) -> None:
        self.model = PUBLIC_KINDS[kind]

    def items(self):
        return _EachLanguage(
            self.model.objects.filter(status=ListingStatus.PUBLISHED)
            .only("pk", "updated_at")
            .order_by("pk")
        )

    def path(self, obj) -> str:
        return obj.get_absolute_url()

    def lastmod(self, item):
        return item[0].updated_at

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every listing (the sitemap index asks for it).
        return self.model.objects.filter(status=ListingStatus.PUBLISHED).aggregate(
            latest=Max("updated_at")
        )["latest"]


class OrganizationSitemap(_BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return _EachLanguage(organizations_public().only("pk").order_by("pk"))

    def path(self, obj) -> str:
        return reverse("public:organization", args=[obj.pk])


class PageSitemap(_BilingualSitemap):
    changefreq = "daily"

    def items(self):
        names = ["home", "search:achievement_list", "search:challenge_list"]
        return [(name, lang) for name in names for lang in seo.LANGUAGE_CODES]

    def path(self, obj) -> str:
        return reverse(obj)


SITEMAPS = {
    "pages": PageSitemap(),
    "achievements": ListingSitemap("achievement"),
    "challenges": ListingSitemap("challenge"),
    "organizations": OrganizationSitemap(),
}
