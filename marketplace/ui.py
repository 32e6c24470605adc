"""Template filters for presentation, registered as the builtin library ``ui`` (settings).

They render Django form fields with Bootstrap's classes, so forms stay plain Django forms.
"""

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from marketplace.listings.choices import CooperationMode

register = template.Library()


def _widget_class(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return css


@register.filter
def widget(field: forms.BoundField) -> SafeString:
    """The field's widget with Bootstrap classes and ARIA wiring for help and errors."""
    attrs = {"class": _widget_class(field)}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def layout(field: forms.BoundField) -> str:
    """How to lay the field out: ``check`` (one box), ``choices`` (a list of boxes), ``input``."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.CheckboxSelectMultiple) and any(
        isinstance(options, list | tuple) for _group, options in field.field.choices
    ):
        return "groups"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    return "input"


@register.filter
def options(field: forms.BoundField) -> list:
    """The options of a radio or checkbox list, each input with Bootstrap's class."""
    field.field.widget.attrs["class"] = _widget_class(field)
    return list(field)


@register.filter
def option_groups(field: forms.BoundField) -> list[dict]:
    """Grouped checkbox choices as ``[{label, options: [{value, label, checked, id}]}]``."""
    chosen = {str(v) for v in (field.value() or [])}
    groups = []
    for g, (group, options) in enumerate(field.field.choices):
        groups.append(
            {
                "label": group,
                "any_checked": any(str(v) in chosen for v, _l in options),
                "options": [
                    {
                        "value": value,
                        "label": label,
                        "checked": str(value) in chosen,
                        "id": f"{field.auto_id}_{g}_{i}",
                    }
                    for i, (value, label) in enumerate(options)
                ],
            }
        )
    return groups


STATUS_COLOURS = {
    "draft": "secondary",
    "pending": "warning",
    "published": "success",
    "rejected": "danger",
    "archived": "dark",
    "expired": "light",
}


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def yuan(value) -> str:
    """A sum of yuan, grouped: 3000000 → ¥3,000,000."""
    if value is None or value == "":
        return ""
    return f"¥{value:,.0f}"


@register.filter
def mode_labels(codes: list[str]) -> list[str]:
    """Cooperation-mode codes as their labels in the active language."""
    return [CooperationMode(code).label for code in codes or [] if code in CooperationMode.values]


@register.simple_tag
def facet_count(facet: str, option, oob: bool = False) -> SafeString:
    """The badge with a search facet option's count. htmx swaps it by id, out of band, when
    the results change. A tag, not an include: a page shows a hundred of them."""
    css = "text-bg-light border" if option.count else "text-body-tertiary"
    return format_html(
        '<span id="fc-{}-{}" class="badge rounded-pill {} ms-1"{}>{}</span>',
        facet,
        option.value,
        css,
        SafeString(' data-hx-swap-oob="true"') if oob else "",
        option.count,
    )


@register.simple_tag
def facet_check(facet: str, option, prefix: str = "") -> SafeString:
    """A facet option's checkbox, label and count (the inside of a ``form-check``)."""
    element_id = f"f-{prefix or facet}-{option.value}"
    return format_html(
        '<input class="form-check-input" type="checkbox" name="{}" value="{}" id="{}"{}>'
        '<label class="form-check-label" for="{}">{}</label>{}',
        facet,
        option.value,
        element_id,
        SafeString(" checked") if option.selected else "",
        element_id,
        option.label,
        facet_count(facet, option),
    )
