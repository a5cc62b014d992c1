"""The real-person guard: finds a blocked name anywhere in a brief's text.

Matching runs on folded text (see `terms.fold`), so it ignores case, accents and punctuation. A
term matches only as whole words: "Cher" never matches "cherry" or "teacher". Between a term's
words the space is optional ("J.Lo", "J Lo" and "JLo" all match "J.Lo"; "#kimkardashian" matches
"Kim Kardashian"), and a trailing "s" is allowed, so "Zendaya's", "Zendaya’s" and "Zendayas" all
match "Zendaya".

All terms compile into one regular expression. It is cached per process together with a
fingerprint of the table (row count, latest `updated_at`, highest id); `current_matcher()`
re-reads the fingerprint with one cheap aggregate query and recompiles when it changed. Adding a
row raises the highest id, deleting one lowers the count and saving one moves `updated_at`, so a
term an admin edits in any process takes effect on the next check in every process, and the model
needs no signal back into this module (which would make the two import each other).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from identities.briefs.terms import fold
from identities.models import BlockedTerm


@dataclass(frozen=True)
class TermMatcher:
    pattern: re.Pattern[str] | None
    # The match with its spaces removed → the term as stored (for the error message).
    terms: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> str | None:
        """The first blocked term in `text`, as stored, or None."""
        if self.pattern is None or not text:
            return None
        match = self.pattern.search(fold(text))
        if match is None:
            return None
        return self.terms[match.group(1).replace(" ", "")]


def compile_terms(terms: list[str]) -> TermMatcher:
    """One matcher for `terms`; longest first so "Kim Kardashian" wins over a shorter overlap."""
    by_key: dict[str, str] = {}
    alternatives: list[str] = []
    for term in sorted(terms, key=lambda t: (-len(fold(t)), t)):
        words = fold(term).split()
        key = "".join(words)
        if not key or key in by_key:
            continue
        by_key[key] = term
        alternatives.append(" ?".join(re.escape(word) for word in words))
    if not alternatives:
        return TermMatcher(pattern=None)
    pattern = re.compile(rf"(?<!\w)({'|'.join(alternatives)})s?(?!\w)")
    return TermMatcher(pattern=pattern, terms=by_key)


_lock = threading.Lock()
_cached: tuple[Any, TermMatcher] | None = None


def current_matcher() -> TermMatcher:
    """The matcher for the terms in the database now (one aggregate query, compiled on change)."""
    global _cached
    stats = BlockedTerm.objects.aggregate(
        count=Count("id"), latest=Max("updated_at"), highest=Max("id")
    )
    fingerprint = (stats["count"], stats["latest"], stats["highest"])
    cached = _cached
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        matcher = compile_terms(list(BlockedTerm.objects.values_list("term", flat=True)))
        _cached = (fingerprint, matcher)
    return matcher
