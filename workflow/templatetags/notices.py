"""Notifications in the page's language, whatever language they were written for (api.md conventions)."""

from django import template
from django.utils import translation

from workflow.notifications.texts import shown

register = template.Library()


@register.filter
def notice_title(notification) -> str:
    return shown(notification, translation.get_language())[0]


@register.filter
def notice_body(notification) -> str:
    return shown(notification, translation.get_language())[1]
