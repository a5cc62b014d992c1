"""How text is compared with blocked terms.

`fold` is the stored form: case-, accent- and punctuation-insensitive, so "Beyoncé", "BEYONCE" and
"beyonce" are one term, "J.Lo" and "J Lo" are one term, "Zendaya’s" reads as "zendaya s". The
model de-duplicates on it and the admin's checks use it.

`skeletons` is what the matcher compares, on the table's terms and on the text alike. On top of
`fold` it undoes the disguises people use to slip a name past a word match:

- look-alike letters from other scripts (a Cyrillic "а" in "Tаylor", a Greek "Ο" in "Οbama",
  mathematical or full-width letters): the Unicode confusables table (UTS #39) maps them to the
  Latin letter they imitate. The table comes from the `disarm` library, which tracks each Unicode
  release, instead of a hand-kept list that would always lag behind;
- letter-spacing ("T a y l o r", "T.a.y.l.o.r"): a run of three or more one-character words is
  read as one word;
- leetspeak ("T4yl0r Sw1ft"): digits read as the letters they imitate, but only inside a word
  that also has letters, so "4K", "25" or "16:9" never turn into letters. "1" stands for "i" or
  "l", so a text with such a word gets a second skeleton with the other reading.

Commas stay in the skeleton as words of their own, so the matcher can tell "Swift, Taylor" (a name
written surname-first) from two names that merely follow each other.

The `BlockedTerm` model imports this module, so it imports no model: only the vocabulary, which is
plain data.
"""

from __future__ import annotations

import re
import unicodedata

import disarm

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


# What a digit (or sign) imitates inside a word that has letters. "1" reads as "i" first: names
# with an "i" are commoner than names with an "l", and the second skeleton reads it as "l".
_LEET_I = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
    }
)
_LEET_L = str.maketrans({"1": "l"})
_LEET_SIGNS = "@$"
_TOKEN = re.compile(r"(?:[^\W_]|[@$])+|,")
# Letter-spacing is read from three letters on: two ("J Lo", "a b") are ordinary text.
_MIN_SPACED_RUN = 3


def _confusables_folded(text: str) -> str:
    # Case is folded between the two passes because the confusables table maps some capitals
    # (Cyrillic "Т", Greek "Ο") only through their small letters. `canonicalize` also drops
    # bidi controls and zero-width characters that could split a name.
    return disarm.normalize_confusables(disarm.canonicalize(text).casefold())


def _tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", _confusables_folded(text).translate(_LETTERS))
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    return _TOKEN.findall(kept)


def _join_spaced_letters(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ","]:
        if len(token) == 1 and token != ",":
            run.append(token)
            continue
        if len(run) >= _MIN_SPACED_RUN and any(c.isalpha() for c in run):
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        joined.append(token)
    return joined[:-1]


# A number with a unit or an ordinal ("4k", "35mm", "20s", "16th", "3d") is not leetspeak.
_NUMBER_WITH_SUFFIX = re.compile(r"\d+[^\W\d_]{1,2}")


def _mixes_letters_and_digits(token: str) -> bool:
    if _NUMBER_WITH_SUFFIX.fullmatch(token):
        return False
    has_letter = any(c.isalpha() for c in token)
    return has_letter and any(c.isdigit() or c in _LEET_SIGNS for c in token)


def skeletons(text: str) -> tuple[str, ...]:
    """The forms of `text` the matcher compares: words and commas separated by single spaces.

    One form, or two when a word reads "1" as a letter (see the module docstring).
    """
    as_i: list[str] = []
    as_l: list[str] = []
    for token in _join_spaced_letters(_tokens(text)):
        if _mixes_letters_and_digits(token):
            as_i.append(token.translate(_LEET_I))
            as_l.append(token.translate(_LEET_L).translate(_LEET_I))
        else:
            # A sign outside a word with letters is punctuation ("$25", "@ 5").
            plain = token.replace("@", " ").replace("$", " ").split()
            as_i.extend(plain)
            as_l.extend(plain)
    if as_i == as_l:
        return (" ".join(as_i),)
    return (" ".join(as_i), " ".join(as_l))


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
    # Judged on the skeleton too: the matcher compares skeletons, so "Рrince" with a Cyrillic
    # "Р" would block every "prince".
    matched = skeletons(term)[0].replace(",", " ").split()
    one_word = [folded] if " " not in folded else []
    if len(matched) == 1:
        one_word.append(matched[0])
    if any(word in _COMMON for word in one_word):
        return (
            "Too common to block on its own: it would refuse ordinary briefs. "
            "Enter the person's full name."
        )
    return None
