"""Signing issued letters with the issuing agency's key (PAdES), and checking a stored PDF's signature.

Every letter is signed as its issuing agency when it is rendered, so that any PDF reader can check it offline
against the agencies' certificate authority. The signer sits behind one interface (`DocumentSigner`) chosen by
`settings.DOCUMENT_SIGNER`: `Pkcs12Signer` signs with pyHanko from one PKCS#12 file per agency; a
national-algorithm (SM2) signing server replaces it by implementing the same two methods.

Keys are configured per agency: `settings.DOCUMENT_SIGNING_KEYS_FILE` names a JSON file (written for development
and the demo by `manage.py make_signing_keys`) of the form
`{"trust_roots": ["ca.pem"], "agencies": {"<agency id>": {"pkcs12": "agency-3.p12", "password": "..."}}}`,
relative paths being relative to that file; `settings.DOCUMENT_SIGNING_KEYS` (same "agencies" shape) and
`settings.DOCUMENT_SIGNING_TRUST_ROOTS` (PEM paths) add to it or override it.
"""

from __future__ import annotations

import abc
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "AgencySignature"
#: Room kept in the PDF for the signature container (the agency's and the authority's certificates and an RSA or
#: SM2 signature take about 3 KB).
SIGNATURE_BYTES = 8192


class SigningUnavailable(Exception):
    """No key is configured for the issuing agency while signing is required."""


@dataclass(frozen=True)
class AgencyKey:
    pkcs12: Path
    password: str


def _resolve(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path


_manifest_cache: dict[Path, tuple[float, dict]] = {}


def _manifest() -> tuple[Path, dict]:
    """The keys file (its folder, its content), re-read when it changes; empty when there is none."""
    configured = getattr(settings, "DOCUMENT_SIGNING_KEYS_FILE", None)
    if not configured:
        return Path("."), {}
    path = Path(configured)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return path.parent, {}
    cached = _manifest_cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, json.loads(path.read_text(encoding="utf-8")))
        _manifest_cache[path] = cached
    return path.parent, cached[1]


def agency_keys() -> dict[str, AgencyKey]:
    """Agency id (as text) -> its PKCS#12 file and password: the keys file, then the settings over it."""
    base, manifest = _manifest()
    keys = {str(k): AgencyKey(_resolve(base, v["pkcs12"]), v.get("password", ""))
            for k, v in (manifest.get("agencies") or {}).items()}
    for k, v in (getattr(settings, "DOCUMENT_SIGNING_KEYS", None) or {}).items():
        keys[str(k)] = AgencyKey(Path(v["pkcs12"]), v.get("password", ""))
    return keys


def trust_root_paths() -> list[Path]:
    base, manifest = _manifest()
    paths = [_resolve(base, p) for p in manifest.get("trust_roots") or []]
    return paths + [Path(p) for p in getattr(settings, "DOCUMENT_SIGNING_TRUST_ROOTS", None) or []]


class DocumentSigner(abc.ABC):
    """Signs a rendered letter as its issuing agency."""

    @abc.abstractmethod
    def can_sign(self, agency) -> bool:
        """Whether a key of this agency is configured."""

    @abc.abstractmethod
    def sign(self, pdf: bytes, *, agency, reason: str, location: str) -> bytes:
        """The PDF with the agency's PAdES signature over the whole file."""


class _ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer with the private key parsed once: SimpleSigner parses (and checks) the key again
    for every signature, which costs more than the rest of signing a letter."""

    def __init__(self, loaded: signers.SimpleSigner):
        super().__init__(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                         cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)
        self._key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


class Pkcs12Signer(DocumentSigner):
    """pyHanko, PAdES baseline (B-B) with SHA-256, the key and certificate chain from the agency's PKCS#12 file."""

    def __init__(self):
        self._loaded: dict[tuple[Path, float], signers.SimpleSigner] = {}
        self._lock = threading.Lock()

    def _signer(self, agency) -> signers.SimpleSigner | None:
        key = agency_keys().get(str(agency.pk))
        if key is None:
            return None
        try:
            stamp = (key.pkcs12, key.pkcs12.stat().st_mtime)
        except OSError:
            logger.error("The PKCS#12 file of agency %s is missing: %s", agency.pk, key.pkcs12)
            return None
        with self._lock:
            loaded = self._loaded.get(stamp)
            if loaded is None:
                opened = signers.SimpleSigner.load_pkcs12(str(key.pkcs12), passphrase=key.password.encode())
                if opened is None:
                    raise SigningUnavailable(f"The PKCS#12 file of agency {agency.pk} could not be opened.")
                loaded = self._loaded[stamp] = _ParsedKeySigner(opened)
        return loaded

    def can_sign(self, agency) -> bool:
        return self._signer(agency) is not None

    def sign(self, pdf: bytes, *, agency, reason: str, location: str) -> bytes:
        signer = self._signer(agency)
        if signer is None:
            raise SigningUnavailable(f"No signing key is configured for agency {agency.pk}.")
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason, location=location, name=agency.name,
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        # A fixed reservation for the signature spares pyHanko a trial signature to measure it.
        return signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=SIGNATURE_BYTES).getvalue()


_signer_lock = threading.Lock()
_signer_instance: tuple[str, DocumentSigner] | None = None


def document_signer() -> DocumentSigner:
    """The configured signer (settings.DOCUMENT_SIGNER, a dotted path to a DocumentSigner class), made once."""
    global _signer_instance
    path = getattr(settings, "DOCUMENT_SIGNER", "documents.signing.Pkcs12Signer")
    with _signer_lock:
        if _signer_instance is None or _signer_instance[0] != path:
            _signer_instance = (path, import_string(path)())
        return _signer_instance[1]


def sign_issued_pdf(pdf: bytes, *, agency, reason: str) -> bytes:
    """The letter signed as `agency`. Without a key for it, the PDF unsigned (logged), or SigningUnavailable when
    settings.DOCUMENT_SIGNING_REQUIRED: the rendering then fails and the catch-up task tries again later."""
    signer = document_signer()
    if not signer.can_sign(agency):
        if getattr(settings, "DOCUMENT_SIGNING_REQUIRED", False):
            raise SigningUnavailable(f"No signing key is configured for agency {agency.pk}.")
        logger.warning("No signing key for agency %s: its letter is stored unsigned.", agency.pk)
        return pdf
    return signer.sign(pdf, agency=agency, reason=reason, location=agency.region_name)


@dataclass(frozen=True)
class SignatureReport:
    """What a PDF's signature says: present, unchanged since signing, by a trusted certificate, covering it all."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def _trust_roots() -> list:
    roots = []
    for path in trust_root_paths():
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except (OSError, ValueError):
            logger.error("A signing trust root could not be read: %s", path)
    return roots


def _subject_name(cert) -> str:
    subject = cert.subject.native
    return subject.get("organization_name") or subject.get("common_name") or cert.subject.human_friendly


def check_signature(pdf: bytes, *, trust_roots: list | None = None) -> SignatureReport:
    """Validate the last signature of `pdf` offline against the configured trust roots (or those given)."""
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF we can read: nothing signed that we can confirm
        logger.warning("A PDF could not be read to check its signature.", exc_info=True)
        return SignatureReport(signed=False)
    if not signatures:
        return SignatureReport(signed=False)
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=_trust_roots() if trust_roots is None else trust_roots,
                                allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # a damaged signature is a signature that does not hold
        logger.warning("A signature could not be validated.", exc_info=True)
        return SignatureReport(signed=True)
    from_coverage = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SignatureReport(
        signed=True, intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
        whole_file=from_coverage, signer=_subject_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
    )
