"""We never generate minors: spot a brief that asks for someone under 18.

Two strengths. The age field is read strictly: every number in it (digits, words or Roman
numerals) must be 18–99 and no word may point at a child. Other fields and the expert prompt are
read for explicit signals only, so ordinary text like "size 16", "a 16:9 frame", "class of 2016"
or "a minor scar" stays allowed:

- an age under 18 stated as one: "16-year-old", "16 yo", "aged 15", "a girl of 16", "a woman,
  16,", "she is 16", "turned 16", "sweet sixteen", "a model under 18" (under 18 is under 18 even
  when the number is 18), with the number in digits, words or Roman numerals ("aged XVI");
- words that mean a child or a school pupil: "teen", "schoolgirl", "underage", "barely legal",
  "a high-school student", "junior high", "a middle-school girl".

Text is first passed through the Unicode confusables fold, so a Cyrillic "е" in "tееn" does not
hide the word.
"""

from __future__ import annotations

import re

import disarm

from identities.ages import MAX_AGE, MIN_AGE

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SPELLED_TENS = re.compile(
    rf"\b({'|'.join(_TENS)})(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine)\b)?",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# A number in running text. Roman numerals only in capitals, and not a lone "I": "i" and "I"
# are words too.
_NUMBER = rf"(\d{{1,3}}|{'|'.join(_NUMBER_WORDS)}|(?-i:[IVX]{{2,5}}|V|X))"
# After a number: not a ratio, a decimal or a measure ("16:9", "5.5", "a man of 6 ft").
_NOT_A_MEASURE = (
    r"(?![:/.,]\d|\s*(?:['′\"%°]|ft\b|feet\b|foot\b|cm\b|mm\b|m\b|inch|kg\b|lbs?\b|"
    r"pounds?\b|st\b|stone\b|minutes?\b|mins?\b|seconds?\b|hours?\b|percent|degrees?\b|"
    r"times\b|dollars?\b|euros?\b|mph\b|km\b))"
)
_PERSON = (
    r"(?:girl|boy|woman|women|man|men|lady|ladies|gentleman|model|person|people|child|kid|"
    r"female|male|student|pupil|someone|daughter|son|sister|brother|youth|blonde|brunette)s?"
)
_SCHOOL = r"(?:high|middle|junior[\s-]*high|elementary|grade|primary|secondary)[\s-]*school"

_CHILD_WORDS = re.compile(
    r"\b("
    r"teens?|teenaged?|teenagers?|pre-?teens?|tweens?|adolescents?|adolescence|"
    r"child|children|childlike|child-like|kids?|kiddies?|underage|under-age|under age|"
    r"school-?(?:girls?|boys?|kids?|child|children)|school (?:girls?|boys?|kids?)|"
    r"school-? ?age|toddlers?|infants?|juveniles?|(?:little|young) (?:girl|boy)s?|"
    r"barely[\s-]+legal|jail-?bait|loli|lolita|lolicon|shota|shotacon|minors|"
    r"(?:a|is|as) minor(?![\s-]+[a-z])|"
    rf"{_SCHOOL}(?:ers?\b|[\s-]+(?:students?|girls?|boys?|pupils?|kids?|cheerleaders?|"
    r"uniforms?|freshm[ae]n|sophomores?|juniors?|seniors?|age|aged))|"
    rf"(?:in|at|attends?|attending|still in) (?:a |the )?{_SCHOOL}|"
    r"junior[\s-]*high(?![\s-]*(?:school[\s-]+)?(?:teachers?|principals?|coach))"
    r")\b",
    re.IGNORECASE,
)

# An age stated in running text; the number is the phrase's one group. When the number ends the
# phrase, it must not be the start of a ratio or a measure.
_NUMBER_ALONE = rf"{_NUMBER}\b{_NOT_A_MEASURE}"
_STATED_AGES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_NUMBER}[\s-]*(?:years?|yrs?|yo)[\s.-]*(?:old|of age)\b",
        rf"\b{_NUMBER}[\s-]*y\.?\s?/?o\b\.?",
        rf"\bage[ds]?\b[\s:=]*(?:of\s+)?(?:just\s+|only\s+)?{_NUMBER_ALONE}",
        rf"\b{_PERSON}\s+of\s+(?:just\s+|only\s+|about\s+|around\s+)?{_NUMBER_ALONE}",
        rf"\b{_PERSON}\s*,\s*{_NUMBER_ALONE}(?=\s*(?:,|$|\.|\)|;|-|–|—|with\b|and\b|who\b))",
        rf"\b(?:she|he|who|they)\s*(?:is|'s|’s|are|was|were)\s+(?:just\s+|only\s+)?{_NUMBER_ALONE}",
        rf"\bturn(?:ed|ing)\s+{_NUMBER_ALONE}",
        rf"\bsweet\s+{_NUMBER_ALONE}",
    )
)
# "Under 18" names a minor even when the number is 18 itself.
_UPPER_BOUND = re.compile(
    rf"(?:\b(?:under|below|younger than|less than|not yet|not even)[\s-]+|<\s*)"
    rf"(?:the\s+age\s+of\s+|age\s+)?{_NUMBER_ALONE}",
    re.IGNORECASE,
)


def _roman_value(numeral: str) -> int | None:
    numeral = numeral.upper()
    if not numeral or not _ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN_VALUES[char] for char in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _digits_for_tens(text: str) -> str:
    """Tens as digits ("twenty-one" → "21"), so that "one" is not read as an age of one."""

    def replace(match: re.Match[str]) -> str:
        unit = _NUMBER_WORDS[match.group(2).lower()] if match.group(2) else 0
        return str(_TENS[match.group(1).lower()] + unit)

    return _SPELLED_TENS.sub(replace, text)


def _as_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[token.lower()]
    return _roman_value(token)


def _unconfused(text: str) -> str:
    # Look-alike letters from other scripts back to Latin; capitals stay capitals, so Roman
    # numerals can still be told from words.
    return disarm.normalize_confusables(disarm.canonicalize(text))


def minor_phrase(text: str) -> str | None:
    """The phrase of running text that asks for someone under 18, or None."""
    text = _digits_for_tens(_unconfused(text))
    child = _CHILD_WORDS.search(text)
    if child:
        return child.group(0)
    for pattern in _STATED_AGES:
        for match in pattern.finditer(text):
            age = _as_number(match.group(1))
            if age is not None and age < MIN_AGE:
                return match.group(0).strip()
    for match in _UPPER_BOUND.finditer(text):
        bound = _as_number(match.group(1))
        if bound is not None and bound <= MIN_AGE:
            return match.group(0).strip()
    return None


def _roman_ages(text: str) -> list[int]:
    # Capitals only ("XVI"), unless the whole field is one numeral ("xvi"): "I" or "mid" in
    # "mid 30s, I think" are words.
    whole = _roman_value(text.strip())
    if whole is not None:
        return [whole]
    values = (_roman_value(token) for token in re.findall(r"\b[IVXLCDM]{2,}\b", text))
    return [value for value in values if value is not None]


def age_problem(text: str) -> str | None:
    """Why the age field's text cannot be used, or None."""
    text = _digits_for_tens(_unconfused(text))
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    words = [_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS]
    ages = (*numbers, *words, *_roman_ages(text))
    if any(n < MIN_AGE for n in ages) or _CHILD_WORDS.search(text) or minor_phrase(text):
        return f"Must be {MIN_AGE} or over: we never generate minors"
    if any(n > MAX_AGE for n in ages):
        return f"Must be between {MIN_AGE} and {MAX_AGE}"
    return None
