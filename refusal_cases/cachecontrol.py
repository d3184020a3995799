"""`Cache-Control: no-store` on every answer that may carry case data: every API answer and every answer to a
logged-in user, so that neither a shared court PC's browser nor a proxy keeps a copy of a case.

Static files are served before this middleware runs and stay cacheable. The public verification pages already
answer no-store themselves; the login page and the health checks carry no case data.
"""


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets the user a token authenticated here too
        if request.path_info.startswith("/api/") or (user is not None and user.is_authenticated):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"  # replaces a download's revalidation directive
            response["Pragma"] = "no-cache"
        return response
