"""The API's request parsers (api.md: request bodies are JSON, bad input is a 400, never a 500).

Kept apart from refusal_cases.api: DRF reads DEFAULT_PARSER_CLASSES while defining its views, which that module imports.
"""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """The API's JSON: a body nested too deeply for the decoder is bad input (400), like any other broken JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
