"""The compliance statements a workspace accepts to add an existing model (a real person).

One catalogue with one version. Changing a statement's wording, adding or removing one means a
new `VERSION`: a consent record stores the version and the exact text that was accepted, so a
record made under an older wording still says what was agreed. Requests must name the current
version; one made against an older catalogue is refused and the user reads the new text.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.refusals import FieldError, InvalidInput

VERSION = "2026-12-01"


@dataclass(frozen=True)
class Statement:
    key: str
    text: str


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "person_consented",
        "The person in these photos has given me informed, written consent to be added to this "
        "workspace as an AI model and to have images of them generated.",
    ),
    Statement(
        "person_is_adult",
        "The person in these photos is 18 or older, and was 18 or older when they were taken.",
    ),
    Statement(
        "rights_to_photos",
        "I own these photos or hold a licence from their photographer that covers this use.",
    ),
    Statement(
        "same_real_person",
        "Both photos show the same real person, and nobody else.",
    ),
    Statement(
        "no_deception",
        "I will not use this model to impersonate the person, to deceive anyone about what they "
        "said or did, or in sexual, hateful or defamatory images.",
    ),
    Statement(
        "withdrawal",
        "If the person withdraws their consent, I will delete this model; deleting it deletes "
        "their photos and face data.",
    ),
)


def consent_catalogue() -> dict:
    """The current catalogue in the API's form: {"version", "statements": [{"key", "text"}]}."""
    return {
        "version": VERSION,
        "statements": [{"key": item.key, "text": item.text} for item in STATEMENTS],
    }


def consent_check(*, version: object, accepted: object) -> list[dict]:
    """The accepted statements as [{"key", "text"}], or InvalidInput naming what is missing:
    a stale or absent version, a key that is not a statement, each statement not accepted."""
    if version != VERSION:
        raise InvalidInput(
            [
                FieldError(
                    "consent.version",
                    f"The compliance statements are at version {VERSION}; read them again "
                    "and accept that version.",
                )
            ],
            summary="Consent not given",
        )
    if not isinstance(accepted, list) or not all(isinstance(key, str) for key in accepted):
        raise InvalidInput(
            [FieldError("consent.accepted", "A list of the accepted statements' keys.")],
            summary="Consent not given",
        )
    known = {item.key for item in STATEMENTS}
    problems = [
        FieldError("consent.accepted", f"Unknown statement {key!r}.")
        for key in sorted(set(accepted) - known)
    ]
    problems += [
        FieldError("consent.accepted", f"Statement {item.key!r} must be accepted: {item.text}")
        for item in STATEMENTS
        if item.key not in accepted
    ]
    if problems:
        raise InvalidInput(problems, summary="Consent not given")
    return [{"key": item.key, "text": item.text} for item in STATEMENTS]
