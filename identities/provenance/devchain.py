"""The local development signing chain: made on first use so `make run` signs with no set-up.

It is a root CA and one end-entity certificate whose names say "untrusted". Nobody's trust list
holds this root, so every verifier (ours included, unless its root is configured as a trust
anchor) reports images signed with it as signed-but-untrusted, never as trusted.

The certificates follow the C2PA signing-certificate profile that c2pa-rs enforces: the signer is
not a CA, its key usage is digitalSignature (critical), its extended key usage names
emailProtection and documentSigning (never anyExtendedKeyUsage), and it carries subject and
authority key identifiers so the chain can be built.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DIRECTORY_NAME = "dev-untrusted"
SIGNER_COMMON_NAME = "Castless development signer — untrusted"
ROOT_COMMON_NAME = "Castless development root — untrusted"
ORGANISATION = "Castless (development, untrusted)"
CHAIN_FILE = "signer-chain.pem"
KEY_FILE = "signer-key.pem"
ROOT_FILE = "root-ca.pem"
_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# Long lives: an expired development signer would make every local draft fail to sign, and
# nothing is gained by rotating a chain that no one trusts anyway.
_ROOT_DAYS = 20 * 365
_SIGNER_DAYS = 10 * 365
_README = """\
Castless development signing chain — UNTRUSTED.

Made automatically the first time Castless signed an image without a configured certificate
(CASTLESS_C2PA_CERT_CHAIN with CASTLESS_C2PA_PRIVATE_KEY, or CASTLESS_C2PA_SIGNER). Images
signed with it verify as "untrusted": the signature is intact but no trust list holds this root.
Never use it in production. To see the "valid" state locally, point CASTLESS_C2PA_TRUST_ANCHORS
at root-ca.pem. Delete this folder to make a new chain.
"""


@dataclass(frozen=True)
class DevChain:
    directory: Path
    chain_pem: bytes  # the end-entity certificate: C2PA's x5chain leaves the root out
    key_pem: bytes
    root_pem: bytes

    @property
    def root_path(self) -> Path:
        return self.directory / ROOT_FILE


def dev_chain_ensure(*, directory: Path) -> DevChain:
    """The development chain under `directory`, created there if it is not there yet.

    The web server and the worker may both sign first at the same moment; each builds a
    complete chain in a private temporary folder and renames it into place. Renaming a folder
    onto an existing non-empty one fails, so exactly one chain wins and the loser reads it.
    """
    final = directory / DIRECTORY_NAME
    if not (final / CHAIN_FILE).is_file():
        _create(final)
    return DevChain(
        directory=final,
        chain_pem=(final / CHAIN_FILE).read_bytes(),
        key_pem=(final / KEY_FILE).read_bytes(),
        root_pem=(final / ROOT_FILE).read_bytes(),
    )


def _create(final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dev-untrusted-", dir=final.parent))
    try:
        _write_chain(staging)
        try:
            os.rename(staging, final)
        except OSError:
            if not (final / CHAIN_FILE).is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _write_chain(folder: Path) -> None:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # tolerate small clock skew
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _root_certificate(root_key, now)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _signer_certificate(signer_key, root, root_key, now)
    pem = serialization.Encoding.PEM
    (folder / ROOT_FILE).write_bytes(root.public_bytes(pem))
    (folder / CHAIN_FILE).write_bytes(signer.public_bytes(pem))
    key_path = folder / KEY_FILE
    key_path.write_bytes(
        signer_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    (folder / "README.txt").write_text(_README)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        ]
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _root_certificate(key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = _name(ROOT_COMMON_NAME)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=_ROOT_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    root_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_COMMON_NAME))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=_SIGNER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
