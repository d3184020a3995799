"""A local certificate authority and one signing certificate per agency, for development and the demo.

Writes into the folder of settings.DOCUMENT_SIGNING_KEYS_FILE (or --dir): `ca.pem` (the root to trust when
checking a letter's signature), `ca-key.pem`, one `agency-<id>.p12` per agency, and the keys file that maps each
agency to its PKCS#12 file and password (documents.signing). Idempotent: the authority and existing agency keys
are kept; agencies without a key get one. Production configures the agencies' own certificates instead.
"""

import datetime
import json
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency

CA_NAME = "Case System Development CA"
VALID_DAYS = 3650


def _name(common: str, organization: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _load_or_make_ca(folder: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if cert_path.exists() and key_path.exists():
        return (x509.load_pem_x509_certificate(cert_path.read_bytes()),
                serialization.load_pem_private_key(key_path.read_bytes(), password=None))
    key = _new_key()
    now = datetime.datetime.now(datetime.UTC)
    name = _name(CA_NAME, CA_NAME)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _agency_p12(agency: Agency, ca_cert: x509.Certificate, ca_key, password: str) -> bytes:
    key = _new_key()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(_name(agency.name, agency.name)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=agency.name.encode(), key=key, cert=cert, cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


class Command(BaseCommand):
    help = "Make a local certificate authority and a signing certificate for every agency (development, demo)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder for the keys (default: that of DOCUMENT_SIGNING_KEYS_FILE).")

    def handle(self, *args, dir=None, **options):  # noqa: A002 (the option's name)
        keys_file = Path(settings.DOCUMENT_SIGNING_KEYS_FILE) if not dir else Path(dir) / "keys.json"
        if not keys_file.name:
            raise CommandError("Set DOCUMENT_SIGNING_KEYS_FILE or pass --dir.")
        folder = keys_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        ca_cert, ca_key = _load_or_make_ca(folder)
        manifest = json.loads(keys_file.read_text(encoding="utf-8")) if keys_file.exists() else {}
        agencies = manifest.setdefault("agencies", {})
        manifest["trust_roots"] = ["ca.pem"]
        made = 0
        for agency in Agency.objects.order_by("pk"):
            entry = agencies.get(str(agency.pk))
            if entry and entry.get("name") == agency.name and (folder / entry["pkcs12"]).exists():
                continue
            password = secrets.token_urlsafe(18)
            file_name = f"agency-{agency.pk}.p12"
            _write_private(folder / file_name, _agency_p12(agency, ca_cert, ca_key, password))
            agencies[str(agency.pk)] = {"pkcs12": file_name, "password": password, "name": agency.name}
            made += 1
        _write_private(keys_file, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        self.stdout.write(self.style.SUCCESS(
            f"Signing keys ready in {folder}: {made} new, {len(agencies)} agencies; trust root ca.pem."))
