"""Content credentials: images signed with c2pa and read back with the library's own Reader."""

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import threading
import tomllib
import zlib
from pathlib import Path

import c2pa
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from identities.provenance import (
    NONE,
    TAMPERED,
    TRAINED_ALGORITHMIC_MEDIA,
    UNTRUSTED,
    VALID,
    Ingredient,
    SigningFailed,
    UnsupportedImage,
    devchain,
    sign_image,
    verify_image,
)
from identities.provenance.devchain import DIRECTORY_NAME, SIGNER_COMMON_NAME, dev_chain_ensure
from identities.provenance.manifest import castless_version
from identities.provenance.verify import UNREADABLE

ROOT = Path(__file__).resolve().parents[2]
ENGINE = "inhouse-test-engine"


@pytest.fixture(autouse=True)
def c2pa_settings(settings, tmp_path):
    """Nothing configured (the development chain, in this test's own folder), no anchors."""
    settings.CASTLESS_C2PA_DEV_DIR = tmp_path / "c2pa"
    settings.CASTLESS_C2PA_CERT_CHAIN = ""
    settings.CASTLESS_C2PA_PRIVATE_KEY = ""
    settings.CASTLESS_C2PA_SIGNER = ""
    settings.CASTLESS_C2PA_ALG = "es256"
    settings.CASTLESS_C2PA_TSA_URL = ""
    settings.CASTLESS_C2PA_TRUST_ANCHORS = ""
    return settings


def _picture(fmt: str, size: int = 96) -> bytes:
    # Noise, so the JPEG has a real entropy-coded scan to change a byte in.
    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def jpeg() -> bytes:
    return _picture("JPEG")


def png() -> bytes:
    return _picture("PNG")


PICTURES = [pytest.param("image/jpeg", jpeg, id="jpeg"), pytest.param("image/png", png, id="png")]


def _sign(data: bytes, mime: str, **overrides) -> bytes:
    arguments = {"engine": ENGINE, "job_code": "JOB7Q2", "identity_code": "ID4XK9"}
    return sign_image(data=data, mime=mime, **(arguments | overrides))


def _store(data: bytes, mime: str) -> dict:
    with c2pa.Reader(mime, io.BytesIO(data)) as reader:
        return json.loads(reader.json())


def _active(data: bytes, mime: str) -> dict:
    store = _store(data, mime)
    return store["manifests"][store["active_manifest"]]


def _assertion(manifest: dict, label_prefix: str) -> dict:
    return next(a["data"] for a in manifest["assertions"] if a["label"].startswith(label_prefix))


def _change_a_pixel_byte(data: bytes, mime: str) -> bytes:
    """Flip one bit of the compressed pixels, leaving the manifest bytes alone."""
    changed = bytearray(data)
    if mime == "image/jpeg":
        scan = data.rindex(b"\xff\xda")  # start of scan: compressed pixels follow
        assert data.rindex(b"jumb") < scan  # the manifest's APP11 segments come before it
        index = next(
            i
            for i in range((scan + len(data)) // 2, len(data) - 2)
            if data[i] not in (0xFF, 0xFE) and data[i - 1] != 0xFF
        )
        changed[index] ^= 0x01
        return bytes(changed)
    position = 8
    while True:
        (length,) = struct.unpack(">I", data[position : position + 4])
        if data[position + 4 : position + 8] == b"IDAT":
            changed[position + 8 + length // 2] ^= 0x01
            crc = zlib.crc32(bytes(changed[position + 4 : position + 8 + length]))
            changed[position + 8 + length : position + 12 + length] = struct.pack(">I", crc)
            return bytes(changed)
        position += 12 + length


def _certificate_chain(folder: Path, common_name: str) -> tuple[Path, Path, Path]:
    """A root CA and a C2PA-profile end-entity certificate, as an operator would configure."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Brand Root")])

    def usage(signing: bool) -> x509.KeyUsage:
        flags = dict.fromkeys(
            ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement"),
            False,
        )
        return x509.KeyUsage(
            digital_signature=signing,
            key_cert_sign=not signing,
            crl_sign=not signing,
            encipher_only=False,
            decipher_only=False,
            **flags,
        )

    def base(subject: x509.Name, public_key) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(root_name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )

    root = (
        base(root_name, root_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    signer = (
        base(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]), key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    folder.mkdir(parents=True, exist_ok=True)
    chain_path, key_path, root_path = folder / "chain.pem", folder / "key.pem", folder / "root.pem"
    chain_path.write_bytes(signer.public_bytes(pem))
    root_path.write_bytes(root.public_bytes(pem))
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return chain_path, key_path, root_path


def kms_sign(data: bytes) -> bytes:
    """A KMS stand-in for CASTLESS_C2PA_SIGNER: it holds the key, Castless never sees it."""
    key = serialization.load_pem_private_key(django_settings.TEST_KMS_KEY_PEM, password=None)
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


def kms_unavailable(data: bytes) -> bytes:
    raise RuntimeError("KMS unavailable: connection refused")


# --- Signing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("mime", "make"), PICTURES)
def test_signed_image_names_castless_the_generation_and_the_ai_source_type(mime, make):
    signed = _sign(make(), mime)

    manifest = _active(signed, mime)
    generator = manifest["claim_generator_info"][0]
    assert (generator["name"], generator["version"]) == ("Castless", castless_version())
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert castless_version() == pyproject["project"]["version"]
    actions = _assertion(manifest, "c2pa.actions")["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert TRAINED_ALGORITHMIC_MEDIA.endswith("/digitalsourcetype/trainedAlgorithmicMedia")
    assert actions[0]["softwareAgent"]["name"] == ENGINE
    assert _assertion(manifest, "com.castless.generation") == {
        "engine": ENGINE,
        "job": "JOB7Q2",
        "identity": "ID4XK9",
    }
    assert "ingredients" not in manifest or manifest["ingredients"] == []
    with Image.open(io.BytesIO(signed)) as decoded:
        assert decoded.format == ("JPEG" if mime == "image/jpeg" else "PNG")


def test_a_draft_without_identity_leaves_the_identity_out():
    manifest = _active(_sign(jpeg(), "image/jpeg", identity_code=None), "image/jpeg")

    assert _assertion(manifest, "com.castless.generation") == {"engine": ENGINE, "job": "JOB7Q2"}


def test_references_become_input_ingredients_without_embedding_their_pixels():
    # A reference that carries credentials of its own (as phone cameras now write) would bring
    # its thumbnail along if it were embedded; it must only be described.
    reference = _sign(png(), "image/png", engine="camera")
    plain = jpeg()

    signed = _sign(
        jpeg(),
        "image/jpeg",
        ingredients=[
            Ingredient(data=reference, mime="image/png", title="reference 1"),
            Ingredient(data=plain, mime="image/jpeg", title="reference 2"),
        ],
    )

    store = _store(signed, "image/jpeg")
    assert len(store["manifests"]) == 1
    ingredients = store["manifests"][store["active_manifest"]]["ingredients"]
    assert [(i["title"], i["relationship"]) for i in ingredients] == [
        ("reference 1", "inputTo"),
        ("reference 2", "inputTo"),
    ]
    assert ingredients[1]["instance_id"].endswith(Ingredient(data=plain, mime="x").sha256)
    assert all("thumbnail" not in ingredient for ingredient in ingredients)
    assert verify_image(data=signed).ingredients == ("reference 1", "reference 2")


def test_signing_refuses_formats_without_credentials_and_mislabelled_bytes():
    with pytest.raises(SigningFailed, match="image/webp"):
        _sign(b"RIFF....WEBPVP8 ", "image/webp")
    with pytest.raises(SigningFailed, match="not image/jpeg"):
        _sign(png(), "image/jpeg")


# --- Verifying -------------------------------------------------------------------------------


@pytest.mark.parametrize(("mime", "make"), PICTURES)
def test_verify_reads_back_the_facts_and_the_dev_chain_is_untrusted(mime, make):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    verification = verify_image(data=_sign(make(), mime))

    assert verification.state == UNTRUSTED
    assert verification.has_manifest
    assert verification.product == f"Castless {castless_version()}"
    assert (verification.engine, verification.job_code, verification.identity_code) == (
        ENGINE,
        "JOB7Q2",
        "ID4XK9",
    )
    assert verification.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert before <= verification.created_at <= dt.datetime.now(dt.UTC)
    assert verification.timestamped is False
    assert verification.signer == SIGNER_COMMON_NAME
    assert verification.failures == ("signingCredential.untrusted",)
    assert {"claimSignature.validated", "assertion.dataHash.match"} <= set(verification.codes)
    assert json.loads(json.dumps(verification.as_dict()))["state"] == "untrusted"


def test_the_dev_root_as_a_trust_anchor_makes_the_signature_valid(c2pa_settings):
    signed = _sign(jpeg(), "image/jpeg")
    root = dev_chain_ensure(directory=c2pa_settings.CASTLESS_C2PA_DEV_DIR).root_path
    c2pa_settings.CASTLESS_C2PA_TRUST_ANCHORS = str(root)

    verification = verify_image(data=signed)

    assert verification.state == VALID
    assert verification.failures == ()
    assert "signingCredential.trusted" in verification.codes


@pytest.mark.parametrize(("mime", "make"), PICTURES)
def test_a_changed_pixel_byte_reports_tampering(mime, make):
    tampered = _change_a_pixel_byte(_sign(make(), mime), mime)

    verification = verify_image(data=tampered)

    assert verification.state == TAMPERED
    assert "assertion.dataHash.mismatch" in verification.failures


def test_a_changed_manifest_byte_reports_tampering():
    signed = bytearray(_sign(jpeg(), "image/jpeg"))
    signed[signed.rindex(ENGINE.encode())] ^= 0x01  # the generation assertion's copy

    assert verify_image(data=bytes(signed)).state == TAMPERED


def test_a_manifest_too_damaged_to_parse_reports_tampering():
    signed = bytearray(_sign(jpeg(), "image/jpeg"))
    signed[signed.index(b"jumb") + 20] ^= 0x01  # inside the manifest store's description box

    verification = verify_image(data=bytes(signed))

    assert (verification.state, verification.failures) == (TAMPERED, (UNREADABLE,))


def test_unreadable_trust_anchors_are_a_configuration_error(c2pa_settings, tmp_path):
    (tmp_path / "anchors.pem").write_text("not a certificate")
    c2pa_settings.CASTLESS_C2PA_TRUST_ANCHORS = str(tmp_path / "anchors.pem")

    with pytest.raises(ImproperlyConfigured, match="CASTLESS_C2PA_TRUST_ANCHORS"):
        verify_image(data=jpeg())


@pytest.mark.parametrize(("mime", "make"), PICTURES)
def test_an_unsigned_image_has_no_credentials(mime, make):
    verification = verify_image(data=make())

    assert verification.state == NONE
    assert not verification.has_manifest
    assert verification.summary == "No content credentials."


def test_only_jpeg_and_png_can_be_verified():
    with pytest.raises(UnsupportedImage):
        verify_image(data=b"GIF89a not today")


# --- Certificates ----------------------------------------------------------------------------


def test_dev_chain_is_created_once_reused_and_marked_untrusted(c2pa_settings):
    folder = c2pa_settings.CASTLESS_C2PA_DEV_DIR / DIRECTORY_NAME
    _sign(jpeg(), "image/jpeg")
    files = {path.name: (path.stat().st_mtime_ns, path.read_bytes()) for path in folder.iterdir()}

    _sign(png(), "image/png")

    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == files
    assert (folder / "signer-key.pem").stat().st_mode & 0o077 == 0
    certificate = x509.load_pem_x509_certificate(files["signer-chain.pem"][1])
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name == "Castless development signer — untrusted"
    assert "untrusted" in certificate.issuer.rfc4514_string()
    assert certificate.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in usages
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert "UNTRUSTED" in (folder / "README.txt").read_text()


def test_processes_racing_to_create_the_dev_chain_all_get_the_same_one(tmp_path):
    start = threading.Barrier(4)
    chains = []

    def create():
        start.wait()
        chains.append(dev_chain_ensure(directory=tmp_path / "race"))

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({(chain.chain_pem, chain.key_pem) for chain in chains}) == 1
    assert [path.name for path in (tmp_path / "race").iterdir()] == [DIRECTORY_NAME]


def test_losing_the_creation_race_keeps_the_winners_chain(tmp_path, monkeypatch):
    write_chain = devchain._write_chain
    winner = []

    def another_process_wins_meanwhile(folder):
        write_chain(folder)
        if not winner:
            monkeypatch.setattr(devchain, "_write_chain", write_chain)
            winner.append(dev_chain_ensure(directory=tmp_path))

    monkeypatch.setattr(devchain, "_write_chain", another_process_wins_meanwhile)

    chain = dev_chain_ensure(directory=tmp_path)

    assert (chain.chain_pem, chain.key_pem) == (winner[0].chain_pem, winner[0].key_pem)
    assert [path.name for path in tmp_path.iterdir()] == [DIRECTORY_NAME]


def test_configured_certificate_and_key_are_used(c2pa_settings, tmp_path):
    chain, key, root = _certificate_chain(tmp_path / "pki", "Test Brand signer")
    c2pa_settings.CASTLESS_C2PA_CERT_CHAIN = str(chain)
    c2pa_settings.CASTLESS_C2PA_PRIVATE_KEY = str(key)
    c2pa_settings.CASTLESS_C2PA_TRUST_ANCHORS = str(root)

    verification = verify_image(data=_sign(jpeg(), "image/jpeg"))

    assert verification.signer == "Test Brand signer"
    assert verification.state == VALID
    assert not c2pa_settings.CASTLESS_C2PA_DEV_DIR.exists()


def test_a_missing_key_file_fails_signing_with_the_path(c2pa_settings, tmp_path):
    chain, _, _ = _certificate_chain(tmp_path / "pki", "Test Brand signer")
    c2pa_settings.CASTLESS_C2PA_CERT_CHAIN = str(chain)
    c2pa_settings.CASTLESS_C2PA_PRIVATE_KEY = str(tmp_path / "missing.pem")

    with pytest.raises(SigningFailed, match="private key .*missing.pem cannot be read"):
        _sign(jpeg(), "image/jpeg")


def test_a_kms_signer_hook_signs_with_the_configured_chain(c2pa_settings, tmp_path):
    chain, key, root = _certificate_chain(tmp_path / "pki", "Test Brand KMS signer")
    c2pa_settings.TEST_KMS_KEY_PEM = key.read_bytes()
    c2pa_settings.CASTLESS_C2PA_CERT_CHAIN = str(chain)
    c2pa_settings.CASTLESS_C2PA_SIGNER = f"{__name__}.kms_sign"
    c2pa_settings.CASTLESS_C2PA_TRUST_ANCHORS = str(root)

    verification = verify_image(data=_sign(png(), "image/png"))

    assert (verification.signer, verification.state) == ("Test Brand KMS signer", VALID)


def test_a_failing_signer_hook_raises_signing_failed_with_its_reason(c2pa_settings, tmp_path):
    chain, _, _ = _certificate_chain(tmp_path / "pki", "Test Brand KMS signer")
    c2pa_settings.CASTLESS_C2PA_CERT_CHAIN = str(chain)
    c2pa_settings.CASTLESS_C2PA_SIGNER = f"{__name__}.kms_unavailable"

    with pytest.raises(SigningFailed, match="KMS unavailable") as failure:
        _sign(jpeg(), "image/jpeg")

    assert failure.value.reason.startswith("the signer hook failed")


def test_an_unimportable_signer_hook_raises_signing_failed(c2pa_settings, tmp_path):
    chain, _, _ = _certificate_chain(tmp_path / "pki", "Test Brand KMS signer")
    c2pa_settings.CASTLESS_C2PA_CERT_CHAIN = str(chain)
    c2pa_settings.CASTLESS_C2PA_SIGNER = "castless_kms.nowhere.sign"

    with pytest.raises(SigningFailed, match="cannot be imported"):
        _sign(jpeg(), "image/jpeg")


def test_a_key_without_its_certificate_chain_fails_at_start_up():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASTLESS_C2PA_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings", "CASTLESS_C2PA_PRIVATE_KEY": "k"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "CASTLESS_C2PA_CERT_CHAIN must be set" in result.stderr
