from rest_framework import serializers

from documents.models import Document


class DocumentOutputSerializer(serializers.ModelSerializer):
    """A document as api.md lists it, plus its title, addressee and where to fetch and verify it."""

    issued_by = serializers.CharField(source="issued_by.name")
    kind_display = serializers.CharField(source="get_kind_display")
    addressee = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "kind_display", "number", "version", "supersedes", "sha256", "size", "issued_by",
                  "addressee", "issued_at", "language", "verification_code", "pdf_url", "verify_url"]

    def get_addressee(self, obj) -> str | None:
        return (obj.context.get("addressee") or {}).get("name")

    def get_pdf_url(self, obj) -> str:
        return f"/api/documents/{obj.pk}/pdf/"

    def get_verify_url(self, obj) -> str:
        return obj.context.get("verify_url") or ""
