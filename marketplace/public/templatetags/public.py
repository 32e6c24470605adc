import re

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext

from marketplace.public import feeds, seo

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_json_ld(context, listing):
    """The listing's schema.org data as a JSON-LD block (public fields only)."""
    return seo.as_json_ld(seo.listing_data(listing, context["seo"]["canonical"]))


@register.simple_tag(takes_context=True)
def field_feed_links(context):
    """``<link rel="alternate">`` to the Atom feed of each technical field the search is
    filtered by (feed readers find it from the page)."""
    request = context["request"]
    codes = [c for c in request.GET.getlist("field") if _SLUG.fullmatch(c)][:5]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        (
            (gettext("Atom feed: %(field)s") % {"field": c}, reverse("public:field_feed", args=[c]))
            for c in codes
        ),
    )


@register.filter
def saved_search_feed(saved_search) -> str:
    return feeds.saved_search_feed_url(saved_search)
