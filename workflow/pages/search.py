"""`/search/?q=`: the search box's page; the same search as `GET /api/search/` (workflow.cases.search)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from documents.textsearch import snippet
from refusal_cases.replica import replica_reads
from workflow.cases.search import search_entries
from workflow.pages.common import PAGE_SIZE

MAX_QUERY = 200


@login_required
@require_GET
@replica_reads
def search_page(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = Paginator(search_entries(user=request.user, q=q) if q else [], PAGE_SIZE).get_page(request.GET.get("page"))
    results = [{"entry": entry, "snippet": mark_safe(snippet(entry.text, q))}  # noqa: S308 - escaped by snippet()
               for entry in page.object_list]
    return render(request, "workflow/search.html", {"q": q, "page": page, "results": results})
