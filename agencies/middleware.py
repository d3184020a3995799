from django.utils import translation


class UserLanguageMiddleware:
    """A user's chosen language wins over the browser's Accept-Language (api.md: browser pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = request.COOKIES.get("django_language")
        if not chosen and user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
