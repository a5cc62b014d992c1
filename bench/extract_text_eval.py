"""From Text on the evaluation paragraphs: per-field precision, recall and F1.

    .venv/bin/python bench/extract_text_eval.py [--split dev|test|all] [--misses]

The paragraphs and their expected fields are in tests/identities/extraction_eval/
paragraphs.json ("dev" items were used while writing the parser, "test" items were held out).
Targets (issue 6): overall F1 ≥ 0.85, no field below 0.7. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.lib.evaluation import paragraphs, score_text  # noqa: E402
from identities.extraction.text import parse_paragraph  # noqa: E402

TARGET_OVERALL_F1 = 0.85
TARGET_FIELD_F1 = 0.7


def parsed(text: str) -> dict[str, str]:
    return {path: reading.value for path, reading in parse_paragraph(text).readings.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=("dev", "test", "holdout", "all"))
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    cases = paragraphs(args.split)
    score = score_text(cases, parsed)
    print(f"From Text, {len(cases)} paragraphs ({args.split}):")
    print(f"{'field':26s} {'P':>6s} {'R':>6s} {'F1':>6s} {'items':>6s}")
    low = []
    for path, counts in sorted(score.fields.items()):
        wanted = counts.true_positive + counts.false_negative
        print(
            f"{path:26s} {counts.precision:6.2f} {counts.recall:6.2f} {counts.f1:6.2f} {wanted:6d}"
        )
        if counts.f1 < TARGET_FIELD_F1:
            low.append(path)
    total = score.overall
    print(f"{'overall':26s} {total.precision:6.2f} {total.recall:6.2f} {total.f1:6.2f}")
    if args.misses:
        print("\n".join(score.misses))
    ok = total.f1 >= TARGET_OVERALL_F1 and not low
    print(
        f"target overall F1 ≥ {TARGET_OVERALL_F1}, every field ≥ {TARGET_FIELD_F1}: "
        + ("met" if ok else f"MISSED ({', '.join(low) or 'overall'})")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
