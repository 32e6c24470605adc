"""Pages anyone may read: an organisation's public page and its embeddable widget, and the
files crawlers and browsers ask every site for (robots.txt, favicon, web manifest)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from marketplace.deals.selectors import organization_responsiveness
from marketplace.pagination import paginate
from marketplace.public import selectors, seo
from marketplace.public.sitemaps import SITEMAPS

WIDGET_MAX_ITEMS = 50
WIDGET_DEFAULT_ITEMS = 10


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Signed-in rooms and private feeds: nothing there for a search engine.
    private = [
        "/admin/",
        "/accounts/",
        "/notifications/",
        "/dashboard/",
        "/matches/",
        "/interests/",
        "/conversations/",
        "/contracts/",
        "/brokers/",
        "/reports/",
        "/saved-searches/",
        "/attachments/",
        "/feeds/saved-searches/",
    ]
    lines = ["User-agent: *", *[f"Disallow: {p}" for p in private], "Allow: /", ""]
    lines.append(f"Sitemap: {seo.absolute(reverse('public:sitemap_index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=604800, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    path = finders.find("img/favicon.ico")
    if not path:  # the file is part of the repository
        raise Http404("favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_safe
@cache_control(max_age=86400, public=True)
def web_manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"})
    return JsonResponse(
        {
            "name": _("Keqiao technology-transfer marketplace"),
            "short_name": _("Keqiao"),
            "start_url": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f3a5f",
            "icons": icons,
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def organization_page(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_public_or_404(pk)
    kind = request.GET.get("kind")
    counts = selectors.organization_counts(organization)
    if kind not in selectors.PUBLIC_KINDS:
        kind = "achievement" if counts["achievement"] or not counts["challenge"] else "challenge"
    page = paginate(
        request.GET,
        selectors.organization_listings(organization, kind),
        settings.LISTINGS_PAGE_SIZE,
    )
    return render(
        request,
        "public/organization.html",
        {
            "organization": organization,
            "kind": kind,
            "counts": counts,
            "responsiveness": organization_responsiveness(organization),
            "page": page,
            "widget_url": seo.absolute(reverse("public:organization_widget", args=[pk])),
            "json_ld": seo.as_json_ld(
                {"@context": "https://schema.org", **seo.organization_data(organization)}
            ),
        },
    )


def _widget_limit(raw: str | None) -> int:
    try:
        value = int(raw or WIDGET_DEFAULT_ITEMS)
    except ValueError:
        return WIDGET_DEFAULT_ITEMS
    return max(1, min(value, WIDGET_MAX_ITEMS))


@require_safe
@xframe_options_exempt
@cache_control(max_age=300, public=True)
def organization_widget(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's published listings in a small page meant for an iframe on the
    organisation's own site: our own style sheet only, links open on Keqiao."""
    organization = selectors.organization_public_or_404(pk)
    kind = request.GET.get("kind", "achievement")
    if kind not in selectors.PUBLIC_KINDS:
        kind = "achievement"
    limit = _widget_limit(request.GET.get("limit"))
    listings = list(selectors.organization_listings(organization, kind)[:limit])
    response = render(
        request,
        "public/widget.html",
        {
            "organization": organization,
            "kind": kind,
            "listings": listings,
            "more_url": seo.absolute(reverse("public:organization", args=[pk])) + f"?kind={kind}",
            "site_url": settings.SITE_URL,
        },
    )
    # Framed by any site: the one page that lifts the site-wide frame ban.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; base-uri 'none'"
    )
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index: one entry per page of each section, at the site's own address
    (SITE_URL) whichever host the request came to."""
    entries = []
    for section, sitemap in SITEMAPS.items():
        location = seo.absolute(reverse("public:sitemap_section", kwargs={"section": section}))
        latest = sitemap.get_latest_lastmod()
        for page in sitemap.paginator.page_range:
            entries.append(
                SitemapIndexItem(location if page == 1 else f"{location}?p={page}", latest)
            )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
