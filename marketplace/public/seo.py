"""What search engines and chat apps read off every page: the language of a URL, the
canonical link, the other language's address, and schema.org data of a listing.

A page's language comes from the visitor (cookie, profile, browser) unless the URL names one
with ``?lang=``: the addresses in the sitemap, the canonical links and the hreflang
alternates do, so each language of a page has an address of its own that a crawler can
fetch without cookies.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

LANG_PARAM = "lang"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# hreflang values (BCP 47) of our language codes.
HREFLANG = {"zh-hans": "zh-Hans", "en": "en"}
# Open Graph locales.
OG_LOCALE = {"zh-hans": "zh_CN", "en": "en_US"}
GOODRELATIONS = "http://purl.org/goodrelations/v1#"
# How an achievement changes hands, as GoodRelations business functions.
BUSINESS_FUNCTION = {
    "transfer": "Sell",
    "licence": "LeaseOut",
    "equity": "Sell",
    "joint_development": "ProvideService",
    "technical_service": "ProvideService",
}


class QueryLanguageMiddleware:
    """``?lang=en`` or ``?lang=zh-hans`` renders this one response in that language (after
    ``LocaleMiddleware``; nothing is remembered). An unknown value is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        code = request.GET.get(LANG_PARAM, "").lower()
        if code in LANGUAGE_CODES:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if LANG_PARAM in request.GET:
            response.headers.setdefault("Content-Language", translation.get_language())
        return response


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def language_url(path: str, params: dict[str, str] | None = None, lang: str | None = None) -> str:
    """The absolute address of ``path`` with ``params``, in ``lang`` (none: the visitor's)."""
    query = {k: v for k, v in (params or {}).items() if k != LANG_PARAM}
    if lang:
        query[LANG_PARAM] = lang
    return absolute(path) + (f"?{urlencode(query)}" if query else "")


def page_links(request: HttpRequest) -> dict:
    """The canonical address of this page in the current language and its alternates."""
    params = {k: v for k, v in request.GET.items() if k != LANG_PARAM}
    current = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "canonical": language_url(request.path, params, current),
        "alternates": [
            (HREFLANG.get(code, code), language_url(request.path, params, code))
            for code in LANGUAGE_CODES
        ],
        "x_default": language_url(request.path, params),
        "og_locale": OG_LOCALE.get(current, current),
        "og_locale_alternates": [OG_LOCALE[c] for c in LANGUAGE_CODES if c != current],
        "image": absolute(static("img/icon-512.png")),
    }


def context(request: HttpRequest) -> dict:
    """Template context processor: ``seo`` (see :func:`page_links`)."""
    return {"seo": page_links(request)}


def as_json_ld(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` block, escaped as ``json_script`` does so
    that no value can close the element. (Not executed, so the CSP does not apply.)"""
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def organization_data(organization) -> dict:
    data = {
        "@type": "Organization",
        "@id": absolute(reverse("public:organization", args=[organization.pk])) + "#org",
        "name": organization.display_name,
        "url": absolute(reverse("public:organization", args=[organization.pk])),
        "address": {
            "@type": "PostalAddress",
            "addressRegion": str(organization.get_region_display()),
            "addressCountry": "CN",
        },
    }
    if organization.name_en and organization.name_en != organization.display_name:
        data["alternateName"] = organization.name_en
    if organization.website:
        data["sameAs"] = [organization.website]
    return data


def listing_data(listing, url: str) -> dict:
    """schema.org data of a published listing, from its public (teaser) fields only: an
    achievement is an ``Offer`` of a technology, a challenge a ``Demand`` for one."""
    organization = organization_data(listing.organization)
    item = {
        "@type": "Service" if listing.kind == "challenge" else "Product",
        "name": listing.shown_title,
        "description": listing.shown_summary,
        "category": [f.name for f in listing.fields.all()],
    }
    if listing.keywords:
        item["keywords"] = ", ".join(listing.keywords)
    entity: dict = {"url": url, "name": listing.shown_title, "itemOffered": item}
    if listing.kind == "achievement":
        entity["@type"] = "Offer"
        entity["offeredBy"] = {"@id": organization["@id"]}
        functions = {
            BUSINESS_FUNCTION[m] for m in listing.transaction_modes if m in BUSINESS_FUNCTION
        }
        entity["businessFunction"] = [GOODRELATIONS + f for f in sorted(functions)] or [
            GOODRELATIONS + "LeaseOut"
        ]
        if not listing.price_negotiable and listing.asking_price is not None:
            entity["price"] = str(listing.asking_price)
            entity["priceCurrency"] = "CNY"
        if listing.expires_at:
            entity["validThrough"] = listing.expires_at.isoformat()
    else:
        entity["@type"] = "Demand"
        entity["businessFunction"] = GOODRELATIONS + "Buy"
        entity["availabilityEnds"] = listing.deadline.isoformat()
        if listing.budget_max is not None:
            entity["priceSpecification"] = {
                "@type": "PriceSpecification",
                "priceCurrency": "CNY",
                "maxPrice": str(listing.budget_max),
                **({"minPrice": str(listing.budget_min)} if listing.budget_min is not None else {}),
            }
    page = {
        "@type": "WebPage",
        "url": url,
        "name": listing.shown_title,
        "inLanguage": HREFLANG.get(translation.get_language() or "", "zh-Hans"),
        "mainEntity": entity,
        "author": {"@id": organization["@id"]},
    }
    if listing.published_at:
        page["datePublished"] = listing.published_at.isoformat()
    return {"@context": "https://schema.org", "@graph": [page, organization]}
