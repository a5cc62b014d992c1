"""From Text never drops a phrase silently: fields, unplaced phrases and lost words.

    .venv/bin/python bench/extract_text_phrases_eval.py [--split phrases|all|...] [--misses]

Scores the paragraphs of tests/identities/extraction_eval/paragraphs.json (the "phrases" split
by default: paragraphs written as a holdout around phrases the parser used to drop — "salt-and-
pepper", "just above the collar", "a scar through the left eyebrow" — before it was changed)
three ways:
- per-field precision, recall and F1, as bench/extract_text_eval.py does;
- unplaced phrases: each case may list phrases no field holds ("laugh lines"); each must appear
  in `unplaced_text`;
- lost words: words of the paragraph, other than glue, that are neither inside a span that
  filled a field nor inside a span of `unplaced_text`. The target is none.
Exits 1 when a word is lost, an unplaced phrase is missing or the overall F1 is under 0.85.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.lib.evaluation import paragraphs, score_text  # noqa: E402
from identities.extraction.text.lexicon import GLUE  # noqa: E402
from identities.extraction.text.parser import parse_with_spans  # noqa: E402

TARGET_OVERALL_F1 = 0.85
_WORD = re.compile(r"\w[\w'’-]*")
# Words that only join clauses; the parser cuts the paragraph at them.
_JOINERS = frozenset({"with", "but", "while", "featuring"})


def lost_words(text: str) -> list[str]:
    """Words that are neither placed nor returned as unplaced text."""
    parsed = parse_with_spans(text)
    covered = parsed.placed + parsed.unplaced
    return [
        word.group(0)
        for word in _WORD.finditer(parsed.text)
        if word.group(0).lower() not in GLUE | _JOINERS
        and not any(word.start() < end and start < word.end() for start, end in covered)
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="phrases")
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    cases = paragraphs(args.split)
    score = score_text(
        cases,
        lambda text: {p: r.value for p, r in parse_with_spans(text).result.readings.items()},
    )
    print(f"From Text, {len(cases)} paragraphs ({args.split}):")
    print(f"{'field':26s} {'P':>6s} {'R':>6s} {'F1':>6s} {'items':>6s}")
    for path, counts in sorted(score.fields.items()):
        wanted = counts.true_positive + counts.false_negative
        print(
            f"{path:26s} {counts.precision:6.2f} {counts.recall:6.2f} {counts.f1:6.2f} {wanted:6d}"
        )
    total = score.overall
    print(f"{'overall':26s} {total.precision:6.2f} {total.recall:6.2f} {total.f1:6.2f}")
    wanted_phrases = found_phrases = words = 0
    lost: list[str] = []
    missing: list[str] = []
    for case in cases:
        unplaced = parse_with_spans(case["text"]).result.unplaced_text.lower()
        for phrase in case.get("unplaced", []):
            wanted_phrases += 1
            if phrase.lower() in unplaced:
                found_phrases += 1
            else:
                missing.append(f"{case['id']}: {phrase!r} not in {unplaced!r}")
        words += sum(1 for w in _WORD.findall(case["text"]) if w.lower() not in GLUE)
        lost.extend(f"{case['id']}: {word}" for word in lost_words(case["text"]))
    print(f"unplaced phrases returned: {found_phrases}/{wanted_phrases}")
    print(f"words lost (neither placed nor unplaced): {len(lost)} of {words}")
    if args.misses:
        print("\n".join([*score.misses, *missing, *lost]))
    ok = total.f1 >= TARGET_OVERALL_F1 and not lost and not missing
    print(
        f"target overall F1 ≥ {TARGET_OVERALL_F1}, every unplaced phrase returned, no word "
        "lost: " + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
