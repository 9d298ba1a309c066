from django import template

from casebook.access import is_allowed

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def allowed(context, view_name, method="GET"):
    """Whether the access map lets the signed-in user use a URL: pages show a link or a
    button only to those who may follow it."""
    return is_allowed(context["request"].user, view_name, method)


@register.filter
def split(text: str, separator: str) -> list[str]:
    return text.split(separator)


@register.filter
def field_errors(form) -> list:
    """(bound field, error) for each error of each field the form shows, in its order: the
    error summary's lines, each to lead to its field."""
    return [(field, error) for field in form.visible_fields() for error in field.errors]


@register.filter
def form_alerts(form) -> list:
    """The errors a form shows above its fields: its own, and those of its hidden fields
    (such as the version an edit was made on), which have nowhere else to appear."""
    return [*form.non_field_errors(), *(error for field in form.hidden_fields() for error in field.errors)]
