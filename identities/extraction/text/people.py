"""Who the paragraph describes: gender (nouns, then shorthand, then pronouns) and heritage
(regions and nationalities, several meaning mixed heritage)."""

from __future__ import annotations

import re

from identities.extraction.result import Extraction
from identities.extraction.text.lexicon import GENDERED_HERITAGE, GENDERS, HERITAGE

# Confidence of a placed word: by its own name or owner noun, or by the previous clause.
SURE = 0.9
INHERITED = 0.75


def overlaps(start: int, end: int, spans) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def read_gender(text: str, result: Extraction, consumed) -> str | None:
    lowered = text.lower()
    found: list[tuple[int, str, re.Match]] = []
    nouns = {
        "non-binary": GENDERS[0][0],
        "female": r"woman|women|female|girl|lady|ladies|womanswear",
        "male": r"man|men|male|guy|gentleman|boy|menswear|bloke|dude",
    }
    for value, pattern in nouns.items():
        # Plain word boundaries: "girl-next-door" still says girl.
        for match in re.finditer(rf"\b(?:{pattern})\b", lowered):
            found.append((match.start(), value, match))
    if found:
        # Non-binary outranks the rest ("non-binary model, androgynous look").
        found.sort(key=lambda item: (item[1] != "non-binary", item[0]))
        _, value, match = found[0]
        result.put("appearance.gender", value, SURE)
        consumed.extend((m.start(), m.end()) for _, v, m in found if v == value)
        return value
    # Casting shorthand: "M, 26" or "F / 24".
    short = re.match(r"\s*([mf])\s*[,/;:]", lowered)
    if short:
        value = "male" if short.group(1) == "m" else "female"
        result.put("appearance.gender", value, SURE)
        consumed.append(short.span(1))
        return value
    androgynous = re.search(rf"(?<![\w-])(?:{GENDERS[3][0]})(?![\w-])", lowered)
    if androgynous:
        result.put("appearance.gender", "androgynous", SURE)
        consumed.append(androgynous.span())
        return "androgynous"
    she = len(re.findall(r"\b(?:she|her|hers|herself|she's)\b", lowered))
    he = len(re.findall(r"\b(?:he|his|him|himself|he's)\b", lowered))
    if she != he:
        value = "female" if she > he else "male"
        result.put("appearance.gender", value, INHERITED)
        return value
    for word, value in GENDERED_HERITAGE.items():
        if re.search(rf"\b{word}\b", lowered):
            result.put("appearance.gender", value, SURE)
            return value
    return None


def read_heritage(text: str, result: Extraction, consumed, gender: str | None) -> None:
    lowered = text.lower()
    hits: list[tuple[int, int, str]] = []
    for pattern, region in HERITAGE.items():
        # Word boundaries only: "Mexican-American" and "Korean-Canadian" name a heritage too.
        for match in re.finditer(rf"\b(?:{pattern})\b", lowered):
            if region == "Latin":
                word = match.group(0)
                region = {"latina": "Latina", "latino": "Latino"}.get(word) or (
                    "Latino" if gender == "male" else "Latina"
                )
            hits.append((match.start(), match.end(), region))
    hits.sort()
    regions: list[str] = []
    for start, end, region in hits:
        if overlaps(start, end, consumed):
            continue
        consumed.append((start, end))
        if region not in regions:
            regions.append(region)
    mixed_words = list(
        re.finditer(r"\b(?:mixed(?:[- ]race)?|biracial|multiracial|multi-ethnic|half)\b", lowered)
    )
    mixed = mixed_words[0] if mixed_words else None
    if mixed:
        # "half Filipino half Irish": every "half" said it.
        consumed.extend(match.span() for match in mixed_words)
        heritage_word = re.search(r"\bheritage|descent|background|ancestry\b", lowered)
        if heritage_word:
            consumed.append(heritage_word.span())
    if len(regions) >= 2:
        result.put("appearance.ethnicity", f"mixed {' and '.join(regions)}", SURE)
    elif regions:
        result.put("appearance.ethnicity", regions[0], SURE)
    elif mixed:
        result.put("appearance.ethnicity", "mixed heritage", INHERITED)
