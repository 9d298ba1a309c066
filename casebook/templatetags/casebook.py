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
