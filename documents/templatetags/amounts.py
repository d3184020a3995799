"""`{{ value|yuan }}`: an amount as pages and letters write it (documents.amounts)."""

from django import template

from documents.amounts import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return _yuan(value)
