"""Verification codes and the public verification address printed on every document (procedure.md §5)."""

import re
import unicodedata

from django.conf import settings
from django.urls import reverse

from documents.models import VERIFICATION_ALPHABET

CODE_SYMBOLS = 20
_GROUP = 5


def normalize_code(raw: str) -> str | None:
    """The stored form (ABCDE-FGHJK-...) of a code as typed or scanned, or None if it cannot be one.

    Dashes, spaces, case and width do not matter: a code copied from paper is accepted however it was written,
    full-width letters and digits from a Chinese input method (ＡＢＣ１２) and dashes of any kind included.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    symbols = re.sub(r"[\s\-‐‑‒–—―－ー_.·]", "", text).upper()
    if len(symbols) != CODE_SYMBOLS or any(c not in VERIFICATION_ALPHABET for c in symbols):
        return None
    return "-".join(symbols[i : i + _GROUP] for i in range(0, CODE_SYMBOLS, _GROUP))


def verify_url(code: str) -> str:
    """The absolute address of the public verification page, as printed and encoded in the QR code."""
    return f"{settings.PUBLIC_BASE_URL}{reverse('document-verify', args=[code])}"
