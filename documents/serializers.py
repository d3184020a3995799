from rest_framework import serializers

from .models import Document


class DocumentOutputSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="issued_by.name")
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "number", "version", "sha256", "issued_by", "issued_at", "verification_code",
                  "pdf_url"]

    def get_pdf_url(self, obj) -> str:
        return f"/api/documents/{obj.pk}/pdf/"
