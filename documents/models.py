import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from procedure.letters import DocumentKind

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def new_verification_code() -> str:
    """20 symbols of 32 (100 bits): not guessable, still typeable from a printed page."""
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def document_upload_to(instance, filename):
    # A fresh random name for every stored file: a stored document is never overwritten.
    return f"documents/{instance.issued_at:%Y}/{secrets.token_hex(16)}.pdf"


# What the letter is and says: fixed when it is issued. A correction is a new version (a new row).
FIXED_AT_ISSUE = (
    "case_id", "kind", "number", "sequence", "year", "version", "supersedes_id", "issued_by_id",
    "addressee_agency_id", "addressed_to_creditor", "event_id", "issued_at", "issued_by_user_id", "language",
    "context", "verification_code",
)
# The stored rendering: written once, never replaced.
FIXED_ONCE_RENDERED = ("file", "sha256", "size", "rendered_at")


class Document(models.Model):
    """A numbered letter issued in a transition; a correction is a new version, never an overwrite."""

    case = models.ForeignKey("workflow.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60)
    sequence = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="issued_documents")
    addressee_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    addressed_to_creditor = models.BooleanField(default=False)
    event = models.ForeignKey("workflow.CaseEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=10, default="zh-hans")
    context = models.JSONField(default=dict, blank=True, help_text=_("What the letter says, fixed at issue."))
    verification_code = models.CharField(max_length=30, unique=True, default=new_verification_code)
    file = models.FileField(upload_to=document_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_by", "kind", "year", "sequence", "version"], name="document_number_unique"
            ),
            # A version is corrected at most once: the versions of a number form one line, never a tree.
            models.UniqueConstraint(fields=["supersedes"], name="document_corrected_once"),
            models.CheckConstraint(
                condition=models.Q(version=1, supersedes__isnull=True) | models.Q(version__gt=1, supersedes__isnull=False),
                name="document_version_supersedes",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"]), models.Index(fields=["rendered_at"])]

    def __str__(self) -> str:
        return self.number if self.version == 1 else f"{self.number} (v{self.version})"

    def save(self, *args, **kwargs):
        """Refuse to change what was issued, and to replace a stored rendering."""
        if not self._state.adding and self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).first()
            if stored is not None:
                changed = [f for f in FIXED_AT_ISSUE if getattr(stored, f) != getattr(self, f)]
                if stored.sha256:
                    changed += [f for f in FIXED_ONCE_RENDERED if getattr(stored, f) != getattr(self, f)]
                if changed:
                    raise ValidationError(
                        _("An issued document is never changed (%(fields)s); issue a correction instead.")
                        % {"fields": ", ".join(changed)}
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued document is never deleted."))

    @property
    def is_rendered(self) -> bool:
        return bool(self.rendered_at and self.file and self.sha256)


class DocumentCounter(models.Model):
    """The last number an agency gave to documents of one kind in one year; taken under a row lock in the
    issuing transaction, so that numbers are never repeated or skipped."""

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "year"], name="document_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer_id}:{self.kind}:{self.year}={self.value}"


class MaterialText(models.Model):
    """The text of an evidence material, kept beside its file (which is never altered): its own text layer, and
    what text recognition (OCR) read from its scanned pages and images."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Text recognition pending")
        DONE = "done", _("Text recognised")
        FAILED = "failed", _("Text recognition failed")
        UNSUPPORTED = "unsupported", _("No text can be read from this format")

    evidence = models.OneToOneField("workflow.Evidence", on_delete=models.CASCADE, related_name="text_layer")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    ocr_pages = models.PositiveIntegerField(default=0, help_text=_("Pages or images read by text recognition."))
    error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.evidence_id}: {self.status}"


class SearchEntry(models.Model):
    """One searchable text of a case: its own fields, a material's text or a letter's text. `terms` is the text
    segmented into words (jieba); on PostgreSQL the database keeps to_tsvector('simple', terms) in a stored column
    `search_vector` with a GIN index (migration 0004), which serves the search."""

    class Source(models.TextChoices):
        CASE = "case", _("Case")
        MATERIAL = "material", _("Material")
        LETTER = "letter", _("Letter")

    case = models.ForeignKey("workflow.Case", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    terms = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="search_entry_unique")]
        indexes = [models.Index(fields=["case", "source"])]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
