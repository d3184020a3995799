"""The user's notifications: the list, newest first with the unread ones marked, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from workflow.cases import selectors
from workflow.notifications import services as notifications
from workflow.notifications.selectors import notification_list, notification_unread_count
from workflow.pages.common import PAGE_SIZE
from workflow.pages.presenters import with_case_links


@login_required
@require_GET
def notifications_page(request):
    """`/notifications/`: the user's notifications, newest first, unread ones marked."""
    show = request.GET.get("show", "")
    unread = True if show == "unread" else None
    page = Paginator(notification_list(user=request.user, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "workflow/notifications.html", {
        "items": with_case_links(request.user, list(page.object_list)), "page": page, "show": show,
        "unread_total": notification_unread_count(user=request.user),
    })


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark one of the user's own notifications read (another user's is 404), then open its case."""
    notification = notifications.notification_mark_read(user=request.user, notification_id=notification_id)
    if request.POST.get("open") and notification.case_id and selectors.case_list(user=request.user).filter(
            pk=notification.case_id).exists():
        return redirect("case-page", notification.case_id)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notification_mark_all_read(user=request.user)
    messages.success(request, translation.ngettext("%(n)d notification marked read.",
                                                   "%(n)d notifications marked read.", count) % {"n": count})
    return redirect("notifications")
