"""From Text, embedded: a paragraph → brief readings, plus the part it could not place.

The paragraph is cut into clauses (commas, sentence ends, "with", "but"). In each clause every
term of every field is matched (longest match first), then placed by the clause's owner nouns:
a describing word goes to the nearest owner after it ("deep brown eyes"), else before it ("hair
parted in the middle"), else, in a clause with none ("short and slicked back" after "grey
hair"), to the hair the previous clause described. Numbers (ages, heights, sizes), gender,
heritage and marks have their own patterns.

Nothing is dropped silently: a word is either inside a span that filled a field, or it is part of
`unplaced_text`. A term that matched but whose value lost to another ("grey strands" beside
"black hair", one colour only) is not counted as placed; a lone describing word left over beside
a placed noun is shown with that noun ("soft blue eyes"), so the reader sees what it qualified.
Only glue (articles, pronouns, casting-call phrasing) may go unmentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from identities.extraction.result import Extraction
from identities.extraction.text.leftovers import leftover_spans
from identities.extraction.text.lexicon import (
    FIELD_OWNER,
    OWNERS,
    TERMS,
)
from identities.extraction.text.marks import find_marks
from identities.extraction.text.normalise import normalize
from identities.extraction.text.numbers import (
    bare_age,
    find_age,
    find_height,
    find_size,
)
from identities.extraction.text.people import INHERITED, SURE, overlaps, read_gender, read_heritage

_CLAUSE_BREAK = re.compile(
    r"[,;:!?()\[\]\n]|\.(?=\s|$)|\.\.\.|…|\s[–—-]\s|\b(?:with|but|while|featuring)\b", re.I
)
_ADJECTIVE_FIELDS = {"appearance.expression", "appearance.build"}
_SINGLE = {"hair.color", "hair.length", "appearance.skin", "appearance.skin_undertone"}
_WORD = re.compile(r"[\w'’-]+")


@dataclass
class _Clause:
    start: int
    end: int
    sentence: int
    owners: list[tuple[int, int, str]] = field(default_factory=list)
    kind: str | None = None  # what the clause describes, for the next clause
    nouns: list[tuple[int, int, str]] = field(default_factory=list)  # every owner noun in it


@dataclass
class _Candidate:
    start: int
    end: int
    options: list[tuple[str, str, bool]]  # (field, value, alone)


@dataclass(frozen=True)
class _Entry:
    value: str
    confidence: float
    by_noun: bool
    span: tuple[int, int]  # the words it was read from


@dataclass(frozen=True)
class ParsedParagraph:
    """A paragraph's reading, with where each part of the (normalised) text went."""

    result: Extraction
    text: str  # the paragraph as read: quotes folded, numbers spelled out as digits
    placed: list[tuple[int, int]]  # spans that filled a field (or a field's refusal)
    unplaced: list[tuple[int, int]]  # spans returned as unplaced_text, in order


def parse_paragraph(raw: str) -> Extraction:
    return parse_with_spans(raw).result


def parse_with_spans(raw: str) -> ParsedParagraph:
    normalised = normalize(raw)
    text = normalised.text
    result = Extraction(source="parser")
    consumed: list[tuple[int, int]] = []
    gender = read_gender(text, result, consumed)
    _numbers(text, result, consumed, male=gender == "male")
    read_heritage(text, result, consumed, gender)
    for mark in find_marks(text, consumed):
        _add(result, "face.marks", mark.value, SURE)
        consumed.append((mark.start, mark.end))
    clauses = _clauses(text)
    values = _place_terms(text, clauses, consumed)
    _bare_ages(text, clauses, result, consumed)
    for path, entries in values.items():
        if path in _SINGLE:
            # One value only: what an owner noun pins down ("long copper waves") beats a
            # word on its own ("Redhead"), then the first mentioned. The losers stay unplaced
            # unless they said the same thing.
            kept = sorted(entries, key=lambda entry: not entry.by_noun)[0]
            _add(result, path, kept.value, kept.confidence)
            consumed.extend(e.span for e in entries if _same(e.value, kept.value))
            continue
        for entry in entries:
            if _add(result, path, entry.value, entry.confidence):
                consumed.append(entry.span)
    _compose_skin(result)
    unplaced = leftover_spans(text, clauses, consumed)
    result.unplaced_text = "; ".join(
        raw[slice(*normalised.raw_span(start, end))] for start, end in unplaced
    )
    return ParsedParagraph(result, text, consumed, unplaced)


def _same(value: str, kept: str) -> bool:
    # "jet-black" and "black", "dark brown" and "brown" say the same; "red" and "copper" not.
    return value == kept or value in kept.split()[-1:] or kept in value.split()[-1:]


def _add(result: Extraction, path: str, value: str, confidence: float) -> bool:
    """Put the value in its field; False when the field holds one value and has it already
    from elsewhere (the value is then not placed)."""
    current = result.readings.get(path)
    if current is None:
        result.put(path, value, confidence)
        return path in result.readings
    if (
        path in _SINGLE
        or path.startswith("appearance.")
        and path != "appearance.build"
        and path != "appearance.expression"
    ):
        return _same(value, current.value)
    items = current.value.split(", ")
    if value not in items:
        result.put(path, ", ".join([*items, value]), min(current.confidence, confidence))
    return True


def _compose_skin(result: Extraction) -> None:
    undertone = result.readings.pop("appearance.skin_undertone", None)
    result.not_read.pop("appearance.skin_undertone", None)
    if undertone is None:
        return
    tone = result.readings.get("appearance.skin")
    value = f"{undertone.value} undertones"
    if tone is not None:
        value = f"{tone.value}, {value}"
    result.put("appearance.skin", value, undertone.confidence)


# Numbers


def _numbers(text: str, result: Extraction, consumed, *, male: bool) -> None:
    for found in (find_height(text), find_size(text, male=male), find_age(text)):
        if found is None or overlaps(found.start, found.end, consumed):
            continue
        if found.field == "appearance.age" and _is_minor(found.value):
            result.drop(
                "appearance.age",
                "The text gives an age under 18; age left empty (every generated identity "
                "is an adult).",
            )
            continue
        result.put(found.field, found.value, SURE)
        consumed.append((found.start, found.end))


def _is_minor(value: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    return bool(numbers) and min(numbers) < 18 and not value.endswith("0s")


def _bare_ages(text: str, clauses: list[_Clause], result: Extraction, consumed) -> None:
    if "appearance.age" in result.readings or "appearance.age" in result.not_read:
        return
    for clause in clauses:
        age = bare_age(text[clause.start : clause.end])
        if age is None:
            continue
        if int(age) < 18:
            result.drop("appearance.age", "The text gives an age under 18; age left empty.")
        else:
            result.put("appearance.age", age, INHERITED)
            consumed.append((clause.start, clause.end))
        return


# Clauses, owners and terms


def _clauses(text: str) -> list[_Clause]:
    clauses, start, sentence = [], 0, 0
    for match in _CLAUSE_BREAK.finditer(text):
        if match.start() > start:
            clauses.append(_Clause(start, match.start(), sentence))
        start = match.end()
        if match.group(0) in (".", "!", "?", "\n"):
            sentence += 1
    if start < len(text):
        clauses.append(_Clause(start, len(text), sentence))
    lowered = text.lower()
    for clause in clauses:
        for pattern, kind in _OWNER_PATTERNS:
            for match in pattern.finditer(lowered, clause.start, clause.end):
                clause.owners.append((match.start(), match.end(), kind))
        clause.owners.sort()
        clause.nouns = list(clause.owners)
    return clauses


_OWNER_PATTERNS = tuple(
    (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])"), kind) for pattern, kind in OWNERS.items()
)


def _hyphen_or_space(pattern: str) -> str:
    """Each literal space of a term may also be a hyphen: briefs write "dirty-blond hair" and
    "dirty blond hair", "dark-brown eyes" and "dark brown eyes"."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == " " and not in_class:
            out.append("[- ]")
            continue
        out.append(char)
    return "".join(out)


_TERM_PATTERNS = tuple(
    (path, re.compile(rf"(?<![\w-])(?:{_hyphen_or_space(term.pattern)})(?![\w-])", re.I), term)
    for path, terms in TERMS.items()
    for term in terms
)
_FOUND_HEIGHT = re.compile(r"\d\s*(?:cm|m\b|'|ft|feet|foot)", re.I)
_HEIGHT_WORDS = re.compile(r"(?<![\w-])(tall|towering|petite)(?![\w-])", re.I)


def _candidates(text: str, consumed) -> list[_Candidate]:
    spans: dict[tuple[int, int], list[tuple[str, str, bool]]] = {}
    for path, pattern, term in _TERM_PATTERNS:
        for match in pattern.finditer(text):
            span = (match.start(), _longest(pattern, text, match))
            if not overlaps(*span, consumed):
                spans.setdefault(span, []).append((path, term.value, term.alone))
    # Longest first: "jet-black" before "black", "dark brown" before "brown".
    ordered = sorted(spans.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0]))
    chosen: list[_Candidate] = []
    for (start, end), options in ordered:
        if not any(start < c.end and c.start < end for c in chosen):
            chosen.append(_Candidate(start, end, options))
    return sorted(chosen, key=lambda candidate: candidate.start)


def _longest(pattern: re.Pattern, text: str, match: re.Match) -> int:
    """Where the longest reading of the term starting at the match ends: a regular expression
    takes the first alternative that fits ("copper" of "copper|copper red"), a brief means the
    longest ("copper red hair", "full beard kept neat")."""
    ends = [word.end() for word in _WORD.finditer(text, match.end(), match.end() + 40)][:4]
    for end in reversed(ends):
        if text[end : end + 1] not in ("-", "'") and pattern.fullmatch(text, match.start(), end):
            return end
    return match.end()


def _place_terms(text: str, clauses: list[_Clause], consumed) -> dict[str, list[_Entry]]:
    """What each term says, per field; the caller consumes the spans of the values it keeps."""
    placed: dict[str, list[_Entry]] = {}
    candidates = _candidates(text, consumed)
    previous: _Clause | None = None
    for clause in clauses:
        # A noun inside a placed mark ("a small hoop in her nose") owns nothing else.
        clause.owners = [o for o in clause.owners if not overlaps(o[0], o[1], consumed)]
    for index, clause in enumerate(clauses):
        inside = [c for c in candidates if clause.start <= c.start and c.end <= clause.end]
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        if not clause.owners and any(_alone_hair(c) for c in inside):
            clause.kind = "hair"
        elif not clause.owners and _is_lead_in(text, clause, following, inside):
            # "strong, natural brows": a word or two before a comma describe the next noun.
            clause.owners = following.owners[:1]
        elif not clause.owners:
            same_sentence = previous is not None and previous.sentence == clause.sentence
            clause.kind = "hair" if same_sentence and previous.kind == "hair" else None
        for candidate in inside:
            owner, by_noun = _owner(clause, candidate)
            choice = _choose(candidate, owner, by_noun=by_noun)
            if choice is None:
                continue
            path, value = choice
            confidence = SURE if by_noun or owner is None else INHERITED
            span = (candidate.start, candidate.end)
            placed.setdefault(path, []).append(_Entry(value, confidence, by_noun, span))
            _consume_owner(clause, candidate, owner, consumed)
            if not by_noun and previous is not None:
                # "Build: average", "Hair: salt-and-pepper": the noun of the clause before is
                # what these words describe, so it was placed through them.
                kind = FIELD_OWNER.get(path)
                consumed.extend(n[:2] for n in previous.nouns[-1:] if n[2] == kind)
            if path == "face.smile":
                _smile_expression(text[candidate.start : candidate.end], span, placed)
        if clause.owners:
            clause.kind = clause.owners[-1][2]
        previous = clause
    _height_words(text, placed, consumed)
    return placed


def _is_lead_in(
    text: str, clause: _Clause, following: _Clause | None, inside: list[_Candidate]
) -> bool:
    if following is None or following.sentence != clause.sentence or not following.owners:
        return False
    kind = following.owners[0][2]
    if not any(FIELD_OWNER.get(path) == kind for c in inside for path, _, _ in c.options):
        return False
    if text[clause.end : following.start].strip() != ",":
        return False
    words = _WORD.findall(text[clause.start : clause.end])
    leading = _WORD.findall(text[following.start : following.owners[0][0]])
    return 0 < len(words) <= 2 and len(leading) <= 2


def _alone_hair(candidate: _Candidate) -> bool:
    return any(alone and path.startswith("hair.") for path, _, alone in candidate.options)


def _owner(clause: _Clause, candidate: _Candidate) -> tuple[str | None, bool]:
    """The kind of thing the candidate describes, and whether a noun in its clause says so
    (rather than the clause before)."""
    own = [o for o in clause.owners if o[0] < candidate.end and candidate.start < o[1]]
    after = [o for o in clause.owners if o[0] >= candidate.end]
    before = [o for o in clause.owners if o[1] <= candidate.start]
    nearest = own[:1] or after[:1] or before[-1:]
    if nearest:
        return nearest[0][2], True
    return clause.kind, False


def _choose(candidate: _Candidate, owner: str | None, *, by_noun: bool) -> tuple[str, str] | None:
    for path, value, _ in candidate.options:
        if owner is not None and FIELD_OWNER.get(path) == owner:
            return path, value
    alone = [(path, value) for path, value, is_alone in candidate.options if is_alone]
    if not alone:
        return None
    if owner is not None and by_noun and owner != "smile":
        # A describing word next to another thing's noun describes that thing: "bold brows"
        # and "a bold red lip" say nothing about the expression, "lean face" nothing of build.
        # A smile is the expression's own noun: "a cheeky grin" is a playful expression.
        alone = [(path, value) for path, value in alone if path not in _ADJECTIVE_FIELDS]
    return alone[0] if alone else None


def _consume_owner(clause: _Clause, candidate: _Candidate, owner: str | None, consumed) -> None:
    for start, end, kind in clause.owners:
        if kind == owner:
            consumed.append((start, end))


def _smile_expression(phrase: str, span: tuple[int, int], placed) -> None:
    # "a warm smile" says both: a soft smile and a warm expression.
    first = phrase.split()[0].lower() if phrase.split() else ""
    for path, pattern, term in _TERM_PATTERNS:
        if path == "appearance.expression" and pattern.fullmatch(first):
            placed.setdefault(path, []).append(_Entry(term.value, SURE, True, span))
            return


def _height_words(text: str, placed, consumed) -> None:
    match = _HEIGHT_WORDS.search(text)
    if match and not overlaps(match.start(), match.end(), consumed):
        consumed.append(match.span())
        if "appearance.height" in placed or _FOUND_HEIGHT.search(text):
            return  # "tall (190 cm)": the number says it better
        word = match.group(1).lower().replace("towering", "tall")
        entry = _Entry(word, SURE, False, match.span())
        placed.setdefault("appearance.height", []).append(entry)
