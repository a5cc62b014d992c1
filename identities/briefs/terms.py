"""How text is compared with blocked terms: one folding shared by the model, the matcher and the
admin's checks, so a term is stored, de-duplicated and matched the same way.

Folding is case-, accent- and punctuation-insensitive: "Beyoncé", "BEYONCE" and "beyonce" are one
term, "J.Lo" and "J Lo" are one term, "Zendaya’s" reads as "zendaya s".

The `BlockedTerm` model imports this module, so it imports no model: only the vocabulary, which is
plain data.
"""

from __future__ import annotations

import unicodedata

from identities.briefs.vocabulary import FIELDS

# Letters NFKD does not decompose into a base letter plus accents.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)

MIN_TERM_LENGTH = 3

# Single words an admin might type that would refuse ordinary briefs; mononyms of famous people
# that are also English words (Prince, Drake, Pink, Sting, Seal, Usher, Twiggy) are blocked by
# their full names instead.
_ORDINARY_WORDS = frozenset(
    {
        "actor",
        "actress",
        "boy",
        "common",
        "drake",
        "eve",
        "future",
        "girl",
        "king",
        "lady",
        "man",
        "model",
        "pink",
        "prince",
        "princess",
        "queen",
        "seal",
        "singer",
        "sting",
        "twiggy",
        "usher",
        "woman",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish words separated by single spaces.

    Accents are dropped, every character that is not a letter or digit becomes a space, and
    invisible format characters (zero-width spaces, soft hyphens) are removed outright so they
    cannot split a name to slip it past the matcher.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS).casefold())
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category in ("Mn", "Cf"):
            continue
        kept.append(char if char.isalnum() else " ")
    return " ".join("".join(kept).split())


def _vocabulary_words() -> frozenset[str]:
    words = set()
    for field in FIELDS:
        for chip in field.chips:
            words.update(fold(chip.value).split())
    return frozenset(words)


_COMMON = _ORDINARY_WORDS | _vocabulary_words()


def term_problem(term: str) -> str | None:
    """Why `term` cannot be a blocked term, or None when it can."""
    folded = fold(term)
    if len(folded.replace(" ", "")) < MIN_TERM_LENGTH:
        return f"Enter at least {MIN_TERM_LENGTH} letters or digits."
    if " " not in folded and folded in _COMMON:
        return (
            "Too common to block on its own: it would refuse ordinary briefs. "
            "Enter the person's full name."
        )
    return None
