"""Small helpers for the case pages' templates; no rules live here."""

from django import template
from django.utils import translation

from procedure.basis import basis_text, joined, label_colon
from workflow.cases import services
from workflow.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag
def may_start_case(user) -> bool:
    """Whether the nav offers "new case": the roles services.case_create accepts."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in services.CREATOR_ORIGIN


@register.simple_tag
def unread_count(user) -> int:
    """Unread notifications of the user, for the nav badge."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_unread_count(user=user)


@register.filter
def legal_basis(text: str, law: str = "") -> str:
    """A legal basis as the code writes it, in the page's language (workflow.basis.basis_text)."""
    return basis_text(text, translation.get_language() or "", law=law)


@register.simple_tag
def colon() -> str:
    """What follows a label before its value in the page's language: "：" in Chinese, ": " in English."""
    return label_colon(translation.get_language() or "")


@register.filter
def listing(items) -> str:
    """Items of a list in running text in the page's language: 甲、乙 / a, b."""
    return joined(items, translation.get_language() or "")


@register.simple_tag
def full_stop() -> str:
    """The end of a sentence in the page's language: "。" in Chinese, "." in English."""
    return "。" if (translation.get_language() or "").startswith("zh") else "."
