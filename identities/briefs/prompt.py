"""Turn a brief into one natural-language prompt, with the platform's fixed portrait treatment.

Expert prompts are returned verbatim: an expert writes exactly what is sent, with no hidden defaults. For structured
briefs every populated field is mentioned once, missing fields are not mentioned at all (the
generator picks something sensible), and the same brief always gives the same text.

Values are free text, so each field is phrased by a small rule that reads well for the
vocabulary's chips and degrades gracefully for anything else: a value that already names its
noun ("pale blue eyes", "light skin with warm undertones") is used as is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

# Camera, framing, lighting, outfit and background are standardized for every non-expert job, so
# every identity gets the same treatment: this sentence is the only place they are written.
PORTRAIT_TREATMENT = (
    "Photorealistic front-facing head-and-shoulders portrait of a single person looking "
    "straight into the camera, even soft studio lighting, wearing a plain neutral top, "
    "plain light-grey seamless backdrop, sharp focus, natural skin texture."
)


class HasBrief(Protocol):
    brief: Mapping[str, Mapping[str, str]]
    prompt: str | None


def build_prompt(instruction: HasBrief) -> str:
    """The text sent to the generator for one instruction."""
    if instruction.prompt is not None:
        return instruction.prompt
    return brief_prompt(instruction.brief)


def brief_prompt(brief: Mapping[str, Mapping[str, str]]) -> str:
    """The prompt for a structured brief, treatment included."""
    appearance = brief.get("appearance", {})
    face = brief.get("face", {})
    hair = brief.get("hair", {})
    pronoun, possessive = _pronouns(appearance.get("gender"))
    features = _face_features(face)
    clean_shaven = ""
    facial_hair = face.get("facial_hair")
    if facial_hair and _names(facial_hair, "clean", "shaven", "shaved"):
        clean_shaven = _sentence(f"{pronoun} {_verb(pronoun, 'is')} {facial_hair}")
    elif facial_hair:
        features.append(_article(facial_hair))
    if hair:
        features.append(_hair(hair))
    sentences = [
        _subject(appearance, possessive),
        _sentence(f"{pronoun} {_verb(pronoun, 'has')} {_join_list(features)}") if features else "",
        clean_shaven,
        _expression(pronoun, possessive, appearance.get("expression")),
        PORTRAIT_TREATMENT,
    ]
    return " ".join(s for s in sentences if s)


# Grammar helpers

_DETERMINERS = {"a", "an", "the", "some", "no", "one", "two", "three", "several", "few", "many"}
# Uncountable nouns take no article ("with vitiligo", not "with a vitiligo").
_MASS_NOUNS = {"vitiligo", "stubble", "acne", "hyperpigmentation", "scarring", "makeup"}


def _article(phrase: str) -> str:
    """`phrase` with "a"/"an" when it is a singular countable noun phrase."""
    words = phrase.split()
    last = words[-1].lower()
    plural = last.endswith("s") and not last.endswith("ss")
    if words[0].lower() in _DETERMINERS or plural or last in _MASS_NOUNS:
        return phrase
    return ("an " if _vowel_sound(phrase) else "a ") + phrase


def _vowel_sound(phrase: str) -> bool:
    lowered = phrase.lower()
    if lowered.startswith(("eu", "uni", "uk", "use", "one")):  # "a European", "a Ukrainian"
        return False
    # Numbers read aloud: "an 8…" (eight, eighty-…), "an 11", "an 18", but "a 110".
    return lowered[0] in "aeiou" or re.match(r"8|1[18](\D|$)", lowered) is not None


def _names(value: str, *nouns: str) -> bool:
    return any(re.search(rf"\b{noun}", value, re.IGNORECASE) for noun in nouns)


def _noun_phrase(value: str, noun: str, *synonyms: str) -> str:
    """The value followed by its noun, kept as is when it already names it.

    "pale blue" → "pale blue eyes"; "light with warm undertones" → "light skin with warm
    undertones"; "grey eyes" stays "grey eyes".
    """
    if _names(value, noun, *synonyms):
        return value
    head, sep, tail = value.partition(" with ")
    return f"{head} {noun}{sep}{tail}" if sep else f"{value} {noun}"


def _join_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


# Subject

_WOMAN = {"female", "woman", "f", "feminine", "she", "lady"}
_MAN = {"male", "man", "m", "masculine", "he", "gentleman"}


def _pronouns(gender: str | None) -> tuple[str, str]:
    key = (gender or "").strip().lower()
    if key in _WOMAN:
        return "she", "her"
    if key in _MAN:
        return "he", "his"
    return "they", "their"


def _person(gender: str | None) -> str:
    key = (gender or "").strip().lower()
    if key in _WOMAN:
        return "woman"
    if key in _MAN:
        return "man"
    if not key:
        return "person"
    if _names(key, "person", "woman", "man", "individual", "model"):
        return gender.strip()
    return f"{gender.strip()} person"


_DECADE = re.compile(r"^(?:(early|mid|late)[\s-]*)?(\d0)'?s$", re.IGNORECASE)
_WORD_DECADE = re.compile(
    r"^(?:(early|mid|late)[\s-]*)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)$",
    re.IGNORECASE,
)
_YEARS = re.compile(r"^(\d{2})(?:[\s-]*(?:years?|yrs?)[\s-]*old)?$", re.IGNORECASE)


def _age(age: str | None, possessive: str) -> tuple[str, str]:
    """The age's words before and after the noun.

    "28" → ("28-year-old", ""), "early 30s" → ("", "in her early 30s"), "18–20" → ("", "aged
    18–20"), anything else → ("", "(age text)").
    """
    if not age:
        return "", ""
    years = _YEARS.match(age)
    if years:
        return f"{years.group(1)}-year-old", ""
    if _DECADE.match(age) or _WORD_DECADE.match(age):
        return "", f"in {possessive} {age}"
    if re.match(r"^\d", age):
        return "", f"aged {age}"
    return "", f"({age})"


def _subject(appearance: Mapping[str, str], possessive: str) -> str:
    before_age, after_age = _age(appearance.get("age"), possessive)
    ethnicity = appearance.get("ethnicity", "")
    noun = _person(appearance.get("gender"))
    heritage = _names(ethnicity, "heritage", "descent", "origin", "background")
    words = [w for w in (before_age, "" if heritage else ethnicity, noun) if w]
    subject = _article(" ".join(words))
    if heritage:
        subject += f" of {ethnicity}"
    if after_age:
        subject += f" {after_age}"
    traits = []
    if appearance.get("skin"):
        traits.append(_noun_phrase(appearance["skin"], "skin", "complexion"))
    if appearance.get("build"):
        traits.append(
            _article(_noun_phrase(appearance["build"], "build", "figure", "frame", "physique"))
        )
    if traits:
        subject += " with " + _join_list(traits)
    stats = []
    size = appearance.get("size")
    if size:
        stats.append(size if _names(size, "size") else f"clothing size {size}")
    if appearance.get("height"):
        stats.append(_height(appearance["height"]))
    if stats:
        subject += f" ({', '.join(stats)})"
    return _sentence(subject)


def _height(height: str) -> str:
    if re.search(r"\d", height) and not _names(height, "tall", "height"):
        return f"{height} tall"
    if _names(height, "tall", "petite", "short"):
        return height
    return f"height {height}"


# Face, hair, expression


def _face_features(face: Mapping[str, str]) -> list[str]:
    phrases = []
    if face.get("eyes"):
        phrases.append(_noun_phrase(face["eyes"], "eyes", "eye"))
    if face.get("eyebrows"):
        phrases.append(_noun_phrase(face["eyebrows"], "eyebrows", "brow"))
    if face.get("nose"):
        phrases.append(_article(_noun_phrase(face["nose"], "nose")))
    if face.get("lips"):
        phrases.append(_noun_phrase(face["lips"], "lips", "lip", "mouth"))
    if face.get("face_shape"):
        phrases.append(_face_shape(face["face_shape"]))
    if face.get("smile"):
        phrases.append(_smile(face["smile"]))
    if face.get("makeup"):
        phrases.append(_noun_phrase(face["makeup"], "makeup", "make-up"))
    if face.get("marks"):
        marks = face["marks"]
        # A list ("freckles, a small tattoo") carries its own articles.
        phrases.append(marks if "," in marks or " and " in marks else _article(marks))
    return phrases


def _face_shape(value: str) -> str:
    if _names(value, "face", "cheekbone", "jaw", "chin", "forehead"):
        return _article(value)
    if value.lower() in ("heart", "diamond"):
        return _article(f"{value}-shaped face")
    return _article(f"{value} face")


def _smile(value: str) -> str:
    if _names(value, "dimple"):
        return value
    return _article(_noun_phrase(value, "smile", "grin"))


_ADJECTIVE_STYLE = re.compile(
    r"^(straight|wavy|curly|coily|kinky|frizzy|sleek|textured|tousled|messy|natural|voluminous"
    r"|fine|thick|thin|layered|feathered|permed|crimped|\w+y|\w+ed)$",
    re.IGNORECASE,
)


def _hair(hair: Mapping[str, str]) -> str:
    def bare(value: str) -> str:
        return re.sub(r"\s+hair$", "", value.strip(), flags=re.IGNORECASE)

    length = bare(hair.get("length", ""))
    color = bare(hair.get("color", ""))
    style = bare(hair.get("style", ""))
    adjectives = [length]
    trailing = ""
    if style and _ADJECTIVE_STYLE.match(style):
        adjectives.append(style)
    elif style.lower().startswith("slicked"):
        trailing = f" {style}"
    elif style:
        trailing = f" in {_article(style)}"
    adjectives.append(color)
    return " ".join([*(w for w in adjectives if w), "hair"]) + trailing


def _expression(pronoun: str, possessive: str, value: str | None) -> str:
    if not value:
        return ""
    if _names(value, "expression", "smile", "look", "gaze", "grin"):
        return _sentence(f"{pronoun} {_verb(pronoun, 'has')} {_article(value)}")
    return _sentence(f"{possessive} expression is {value}")


def _verb(pronoun: str, verb: str) -> str:
    if pronoun != "they":
        return verb
    return {"has": "have", "is": "are"}.get(verb, verb)
