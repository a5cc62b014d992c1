"""Read any JPEG or PNG's content credentials and reduce them to plain facts."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import c2pa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from identities.provenance.errors import UnsupportedImage
from identities.provenance.formats import sniff_mime
from identities.provenance.manifest import ACTIONS_LABELS, CREATED, GENERATION_LABEL

VALID = "valid"
UNTRUSTED = "untrusted"
TAMPERED = "tampered"
NONE = "none"
# Our own code for credentials that are present but cannot even be parsed (a damaged
# manifest box); the library raises instead of reporting a status for those.
UNREADABLE = "castless.manifestUnreadable"
_SUMMARIES = {
    VALID: "Signature valid, from a certificate this site trusts.",
    UNTRUSTED: "Signature intact, but from a certificate this site does not trust.",
    TAMPERED: "Tampered: the image or its credentials changed after they were signed.",
    NONE: "No content credentials.",
}
# Failures about who signed (unknown root, expired or revoked certificate) rather than what
# was signed: the image still matches its signature, so they mean untrusted, not tampered.
_CREDENTIAL_CODES = ("signingCredential.", "timeStamp.untrusted", "timeStamp.outsideValidity")


@dataclass(frozen=True)
class Verification:
    state: str
    has_manifest: bool = False
    product: str | None = None
    created_at: dt.datetime | None = None
    timestamped: bool = False  # created_at comes from a timestamp authority, not the claim
    engine: str | None = None
    job_code: str | None = None
    identity_code: str | None = None
    digital_source_type: str | None = None
    signer: str | None = None
    issuer: str | None = None
    ingredients: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return _SUMMARIES[self.state]

    def as_dict(self) -> dict:
        facts = asdict(self)
        facts["created_at"] = self.created_at.isoformat() if self.created_at else None
        facts["ingredients"] = list(self.ingredients)
        facts["failures"] = list(self.failures)
        facts["codes"] = list(self.codes)
        facts["summary"] = self.summary
        return facts


def verify_image(*, data: bytes) -> Verification:
    """The credentials of a JPEG or PNG: valid, untrusted, tampered or none, with what they say.

    Raises UnsupportedImage for anything that is not a JPEG or PNG.
    """
    mime = sniff_mime(data)
    if mime is None:
        raise UnsupportedImage("Only JPEG and PNG images can be checked.")
    with _reading_context() as context:
        try:
            reader = c2pa.Reader.try_create(mime, io.BytesIO(data), None, context)
            if reader is None:
                return Verification(state=NONE)
            with reader:
                store = json.loads(reader.json())
        except c2pa.C2paError:
            # Every manifest store is a JUMBF box labelled "c2pa"; bytes without one simply
            # have no credentials, bytes with one that cannot be parsed were damaged.
            if b"c2pa" not in data:
                return Verification(state=NONE)
            return Verification(
                state=TAMPERED, has_manifest=True, failures=(UNREADABLE,), codes=(UNREADABLE,)
            )
    return _facts(store)


def _reading_context() -> c2pa.Context:
    # Never fetch while reading an upload: a remote-manifest URL inside it would make the
    # server request any address the uploader chose.
    config: dict = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    anchors = settings.CASTLESS_C2PA_TRUST_ANCHORS
    try:
        if anchors:
            config["trust"] = {"trust_anchors": Path(anchors).read_text()}
        return c2pa.Context.from_dict(config)
    except (OSError, UnicodeDecodeError, c2pa.C2paError) as exc:
        raise ImproperlyConfigured(
            f"CASTLESS_C2PA_TRUST_ANCHORS {anchors} is not a readable PEM bundle ({exc})"
        ) from exc


def _facts(store: dict) -> Verification:
    manifest = (store.get("manifests") or {}).get(store.get("active_manifest")) or {}
    active = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = _codes(active.get("failure")) or _codes(store.get("validation_status"))
    codes = (
        _codes(active.get("failure"), active.get("informational"), active.get("success"))
        or failures
    )
    created = _created_action(manifest)
    generation = _assertion(manifest, GENERATION_LABEL) or {}
    signature = manifest.get("signature_info") or {}
    timestamp = _datetime(signature.get("time"))
    return Verification(
        state=_state(store.get("validation_state"), failures),
        has_manifest=True,
        product=_product(manifest),
        created_at=timestamp or _datetime(created.get("when")),
        timestamped=timestamp is not None,
        engine=generation.get("engine"),
        job_code=generation.get("job"),
        identity_code=generation.get("identity"),
        digital_source_type=created.get("digitalSourceType"),
        signer=signature.get("common_name"),
        issuer=signature.get("issuer"),
        ingredients=tuple(item.get("title") or "" for item in manifest.get("ingredients") or ()),
        failures=failures,
        codes=codes,
    )


def _state(validation_state: str | None, failures: tuple[str, ...]) -> str:
    if any(not code.startswith(_CREDENTIAL_CODES) for code in failures):
        return TAMPERED
    if validation_state == "Trusted" and not failures:
        return VALID
    if validation_state in ("Trusted", "Valid") or failures:
        return UNTRUSTED
    return TAMPERED


def _codes(*groups: list | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for status in group or ():
            if status.get("code"):
                seen[status["code"]] = None
    return tuple(seen)


def _product(manifest: dict) -> str | None:
    info = manifest.get("claim_generator_info") or []
    if info and info[0].get("name"):
        return f"{info[0]['name']} {info[0].get('version') or ''}".strip()
    return manifest.get("claim_generator")


def _assertion(manifest: dict, *labels: str) -> dict | None:
    for assertion in manifest.get("assertions") or ():
        if assertion.get("label") in labels:
            return assertion.get("data")
    return None


def _created_action(manifest: dict) -> dict:
    actions = (_assertion(manifest, *ACTIONS_LABELS) or {}).get("actions") or ()
    return next((action for action in actions if action.get("action") == CREATED), {})


def _datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
