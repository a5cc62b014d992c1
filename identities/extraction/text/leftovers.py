"""What From Text did not place: runs of neighbouring words no field took, trimmed of glue, a
lone describing word shown with the placed noun it qualified. `clauses` are the parser's clauses
(each with `start`, `end` and `nouns`)."""

from __future__ import annotations

import re

from identities.extraction.text.lexicon import GLUE
from identities.extraction.text.people import overlaps

_WORD = re.compile(r"[\w'’-]+")


def leftover_spans(text: str, clauses: list, consumed) -> list[tuple[int, int]]:
    """Spans of the words no field took, as runs of neighbouring words, without glue at
    their ends."""
    spans: list[tuple[int, int]] = []
    for clause in clauses:
        words = [
            m for m in _WORD.finditer(text, clause.start, clause.end)
            if not overlaps(m.start(), m.end(), consumed)
        ]  # fmt: skip
        placed_any = overlaps(clause.start, clause.end, consumed)
        for run in _runs(text, words, consumed):
            content = [w for w in run if w.group(0).lower() not in GLUE]
            if not content:
                continue
            run = run[run.index(content[0]) : run.index(content[-1]) + 1]
            start, end = run[0].start(), run[-1].end()
            if len(content) == 1 and placed_any:
                end = _with_what_it_describes(text, clause, end, consumed)
            spans.append((start, end))
    return spans


def _runs(text: str, words: list[re.Match], consumed) -> list[list[re.Match]]:
    """Neighbouring words: only spaces between them, and nothing placed."""
    runs: list[list[re.Match]] = []
    run: list[re.Match] = []
    for word in words:
        between = text[run[-1].end() : word.start()] if run else ""
        if run and (between.strip(" ") or overlaps(run[-1].end(), word.start(), consumed)):
            runs.append(run)
            run = []
        run.append(word)
    if run:
        runs.append(run)
    return runs


def _with_what_it_describes(text: str, clause, end: int, consumed) -> int:
    """A lone describing word left over ("soft" of "soft blue eyes", "small" of "a small gold
    hoop") reaches on over the placed words after it to the noun or the placed phrase it
    describes, at most three words on, so the reader sees what it qualified."""
    nouns = {start: noun_end for start, noun_end, _ in clause.nouns}
    last = end
    for count, word in enumerate(_WORD.finditer(text, end, clause.end)):
        if count == 3 or text[last : word.start()].strip(" "):
            break
        spans = [span for span in consumed if span[0] < word.end() and word.start() < span[1]]
        if not spans:
            break
        reach = max(span[1] for span in spans)
        if word.start() in nouns or reach > word.end():
            return max(reach, nouns.get(word.start(), reach))
        last = word.end()
    return end
