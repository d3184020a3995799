"""GET /api/search/?q= (api.md): full-text search over the cases the user may see and the text of their materials
and letters (scans included, by OCR); each result names its case and the matching material or letter."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from documents.models import SearchEntry
from documents.textsearch import snippet
from refusal_cases.replica import replica_reads
from workflow.cases.search import search_entries


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Words to find, in Chinese or any language.")


class SearchCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    debtor_name = serializers.CharField()
    state = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    case = SearchCaseSerializer()
    source = serializers.ChoiceField(choices=SearchEntry.Source.choices,
                                     help_text="case: the case's own fields; material; letter.")
    source_id = serializers.IntegerField(help_text="The case's, material's or document's id.")
    title = serializers.CharField()
    snippet = serializers.SerializerMethodField(help_text="HTML: the passage, escaped, the words found in <mark>.")

    def get_snippet(self, entry) -> str:
        return snippet(entry.text, self.context["q"])


class SearchApi(ListAPIView):
    serializer_class = SearchResultSerializer

    def _query(self) -> str:
        query = SearchQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data["q"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is being built
            return SearchEntry.objects.none()
        return search_entries(user=self.request.user, q=self._query())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["q"] = self.request.query_params.get("q", "")
        return context

    @extend_schema(tags=["search"], parameters=[SearchQuerySerializer])
    @replica_reads
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
