"""The OpenAPI schema: the error answers of the API conventions on every operation, and hand-paginated lists."""

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

PAGE_PARAMETER = OpenApiParameter("page", int, description="A page number within the paginated result set.")
_pages: dict[type, type] = {}


def paginated(serializer_class):
    """The schema of a page of `serializer_class` for views that paginate by hand (APIView, not ListAPIView)."""
    if serializer_class not in _pages:
        _pages[serializer_class] = inline_serializer(f"Paginated{serializer_class.__name__}List", {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        })
    return _pages[serializer_class]


_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_BAD_INPUT = {"type": "object", "description": '{"field": ["message", ...]} or {"detail": "..."}'}
_CONFLICT = {"type": "object", "properties": {"detail": {"type": "string"}, "state": {"type": "string"},
                                            "allowed_transitions": {"type": "array", "items": {"type": "string"}}},
             "required": ["detail", "state", "allowed_transitions"]}
_UNAUTHENTICATED = {"type": "object", "properties": {
    "detail": {"type": "string"},
    "code": {"type": "string", "description": "token_invalid, token_revoked or token_expired for a refused token"}},
    "required": ["detail"]}
# The body of each error status (refusal_cases.api.exception_handler), for responses a view documents in words only.
ERROR_BODIES = {"400": _BAD_INPUT, "401": _UNAUTHENTICATED, "403": _DETAIL, "404": _DETAIL, "409": _CONFLICT, "415": _DETAIL,
                "429": _DETAIL}


def _error(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class ApiSchema(AutoSchema):
    """Documents the error answers of the API conventions wherever they can happen, unless a view says more:
    400 for input (a body or query parameters), 401 without login, 403 for a session write without its CSRF
    token, 404 for an id in the path or a page beyond the last, 415 for a body of another media type; and gives
    every error its body's schema."""

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        responses = self.get_response_serializers()
        ok = responses.get(200) if isinstance(responses, dict) else responses
        if self.method == "GET" and ok in _pages.values() and operation_id.endswith("_retrieve"):
            operation_id = operation_id.removesuffix("_retrieve") + "_list"  # a list, as ListAPIView's are named
        return operation_id

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        locations = {p["in"] for p in operation.get("parameters", [])}
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        unsafe = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if "requestBody" in operation or names:
            responses.setdefault("400", _error("Bad input: the body names the field.", _BAD_INPUT))
        if "requestBody" in operation:
            responses.setdefault("415", _error("The body is not of a media type the operation reads.", _DETAIL))
        if any(isinstance(p, IsAuthenticated) for p in self.view.get_permissions()):
            responses.setdefault("401", _error("Not logged in, or the token is unknown, revoked or expired.",
                                                   _UNAUTHENTICATED))
            if unsafe:
                responses.setdefault("403", _error("Not allowed (a browser session also needs its CSRF token).",
                                                   _DETAIL))
        if "path" in locations or "page" in names:
            responses.setdefault("404", _error("Unknown, or not yours to see; or a page beyond the last.", _DETAIL))
        for code, response in responses.items():
            if code in ERROR_BODIES and not response.get("content"):
                response["content"] = {"application/json": {"schema": ERROR_BODIES[code]}}
        return operation


def _tidy(node) -> None:
    """Drops what generated clients trip on: a `default` its own schema refuses (an optional filter's blank default
    beside a `pattern`), which a schema validator rejects and a client would send; and the `title` of a field or
    parameter (a model field's label, in the language of the request), which generators turn into class names."""
    if isinstance(node, dict):
        default = node.get("default")
        if isinstance(default, str) and "pattern" in node and not re.search(node["pattern"], default):
            del node["default"]
        if isinstance(node.get("title"), str):
            del node["title"]
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def tidy_for_clients(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): the operations and
    components, not the document's own `info`."""
    _tidy(result.get("paths"))
    _tidy(result.get("components"))
    return result
