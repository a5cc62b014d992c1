"""What an identity may be called: the one rule every way of naming an identity goes through
(promotion, rename, and whatever later makes identities).

A name is shown in the library, in job pages, in API listings and in exported files, and is
typed back by people searching for it, so it must read the same everywhere:

- no control characters (NUL breaks PostgreSQL text, others break logs and exports), no
  unpaired surrogates (they cannot be stored as UTF-8 at all), no bidirectional overrides or
  isolates (they make "Astrid" display as something else, or reorder what follows it), and
  no zero-width characters or byte-order marks (two names that look identical would differ);
- runs of whitespace collapse to one space and the ends are trimmed;
- 1 to 120 characters, the column's length;
- unique among the account's live identities (the database constraint backs this up).

Default names (from the job's name) are cleaned the same way and get " 2", " 3"… until free.
"""

from __future__ import annotations

import unicodedata

from config.refusals import FieldError, InvalidInput, NameTaken
from identities.models import Identity
from identities.models.identity import LIVE

NAME_MAX_LENGTH = Identity._meta.get_field("name").max_length
DEFAULT_NAME = "Untitled identity"

_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_INVISIBLE = frozenset(("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"))


def _problem(character: str) -> str | None:
    """Why `character` may not appear in a name, or None when it may."""
    category = unicodedata.category(character)
    if category == "Cc":
        return "Names cannot contain control characters."
    if category == "Cs":
        return "Names cannot contain unpaired surrogate characters."
    if character in _BIDI_CONTROLS:
        return "Names cannot contain text-direction control characters."
    if character in _INVISIBLE:
        return "Names cannot contain zero-width characters or byte-order marks."
    return None


def _refuse(message: str) -> InvalidInput:
    return InvalidInput([FieldError("name", message)])


def identity_name_clean(name: str) -> str:
    """The name as it will be stored; InvalidInput on `name` when it breaks the rule.

    Characters are checked before whitespace is collapsed: a tab or a newline is a control
    character, refused like the others rather than silently turned into a space.
    """
    for character in name:
        problem = _problem(character)
        if problem:
            raise _refuse(problem)
    cleaned = " ".join(name.split())
    if not cleaned:
        raise _refuse(f"Give a name of 1 to {NAME_MAX_LENGTH} characters.")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise _refuse(f"At most {NAME_MAX_LENGTH} characters.")
    return cleaned


def _taken(*, account, exclude_pk: int | None = None):
    names = Identity.objects.filter(LIVE, account=account)
    return names.exclude(pk=exclude_pk) if exclude_pk is not None else names


def identity_name_valid(*, account, name: str, exclude_pk: int | None = None) -> str:
    """A name chosen by a person: cleaned, and free in `account`'s library (`exclude_pk` is
    the identity being renamed). InvalidInput or NameTaken otherwise."""
    cleaned = identity_name_clean(name)
    if _taken(account=account, exclude_pk=exclude_pk).filter(name=cleaned).exists():
        raise NameTaken(
            cleaned, problems=[FieldError("name", "Name already used in your library.")]
        )
    return cleaned


def identity_name_default(*, account, base: str) -> str:
    """A name nobody chose (the job's): `base` with what the rule forbids dropped, else
    DEFAULT_NAME, then suffixed " 2", " 3"… while the library already has it. The base is
    shortened when a suffix would not fit, so a default name is always a valid one."""
    kept = "".join(character for character in base if _problem(character) is None)
    base = " ".join(kept.split())[:NAME_MAX_LENGTH].rstrip() or DEFAULT_NAME
    # Every candidate starts with this stem: one query reads all the names that can collide.
    stem = base[: NAME_MAX_LENGTH - 12]
    taken = set(
        _taken(account=account).filter(name__startswith=stem).values_list("name", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f" {number}"
        candidate = base[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
        number += 1
