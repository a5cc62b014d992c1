"""A verification in plain words, as the verify page and the API both say it."""

from __future__ import annotations

from dataclasses import dataclass

from identities.engines.labels import ENGINE_LABELS
from identities.provenance.manifest import TRAINED_ALGORITHMIC_MEDIA
from identities.provenance.verify import NONE, TAMPERED, UNTRUSTED, VALID, Verification

HEADLINES = {
    VALID: "Signature valid",
    UNTRUSTED: "Signed, but not by a trusted certificate",
    TAMPERED: "Tampered",
    NONE: "No content credentials",
}
EXPLANATIONS = {
    VALID: "The image is exactly what was signed, by a certificate this site trusts.",
    UNTRUSTED: (
        "The signature is intact and the image has not changed since it was signed, but the "
        "certificate is not one this site trusts (a development certificate, or one that "
        "expired or was revoked), so it does not prove who signed it."
    ),
    TAMPERED: (
        "The image carries content credentials that no longer match it: its pixels or its "
        "credentials were changed after signing. Do not trust what they say."
    ),
    NONE: (
        "This image carries no content credentials. That proves nothing either way: a "
        "screenshot or a re-saved copy loses them."
    ),
}
_SOURCE_TYPES = {TRAINED_ALGORITHMIC_MEDIA: "Made by a generative AI model"}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def verification_headline(verification: Verification) -> str:
    return HEADLINES[verification.state]


def verification_explanation(verification: Verification) -> str:
    return EXPLANATIONS[verification.state]


def verification_facts(verification: Verification) -> list[Fact]:
    """What the credentials say, label by label, leaving out what they do not say."""
    v = verification
    when = None
    if v.created_at:
        when = v.created_at.strftime("%Y-%m-%d %H:%M UTC")
        when += " (from a timestamp authority)" if v.timestamped else " (the signer's clock)"
    source = v.digital_source_type
    rows = [
        ("Made by", v.product),
        ("When", when),
        ("How", _SOURCE_TYPES.get(source, source) if source else None),
        ("Engine", _engine(v.engine)),
        ("Job", v.job_code),
        ("Identity", v.identity_code),
        ("References used", ", ".join(v.ingredients) if v.ingredients else None),
        ("Signed by", v.signer),
        ("Certificate issuer", v.issuer),
    ]
    return [Fact(label, value) for label, value in rows if value]


def _engine(name: str | None) -> str | None:
    # The label's headline only ("Offline illustration engine"), with the id the manifest holds.
    if name and name in ENGINE_LABELS:
        return f"{ENGINE_LABELS[name].split(' — ')[0]} ({name})"
    return name
