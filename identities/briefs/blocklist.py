"""The real-person guard: finds a blocked name anywhere in a brief's text.

Matching runs on skeletons (see `terms.skeletons`) of the terms and of the text alike, so it
ignores case, accents, punctuation, look-alike letters from other scripts, letter-spacing and
leetspeak. A term matches only as whole words: "Cher" never matches "cherry" or "teacher". Between
a term's words the space is optional ("J.Lo", "J Lo" and "JLo" all match "J.Lo"; "#kimkardashian"
matches "Kim Kardashian"), and a trailing "s" is allowed, so "Zendaya's", "Zendaya’s" and
"Zendayas" all match "Zendaya". A name of two or more words also matches surname-first after a
comma, as lists and credits write it: "Swift, Taylor".

All terms compile into one regular expression. It is cached per process together with a
fingerprint of the table (row count, latest `updated_at`, highest id); `current_matcher()`
re-reads the fingerprint with one cheap aggregate query (plain SQL: Django's compiling of the
aggregate cost a create more than a millisecond) and recompiles when it changed. Adding a
row raises the highest id, deleting one lowers the count and saving one moves `updated_at`, so a
term an admin edits in any process takes effect on the next check in every process, and the model
needs no signal back into this module (which would make the two import each other).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from identities.briefs.terms import skeletons
from identities.models import BlockedTerm


@dataclass(frozen=True)
class TermMatcher:
    pattern: re.Pattern[str] | None
    # The match with its spaces removed → the term as stored (for the error message). Keys of
    # surname-first forms keep their comma; the others have none.
    terms: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> str | None:
        """The first blocked term in `text`, as stored, or None."""
        if self.pattern is None or not text:
            return None
        for skeleton in skeletons(text):
            match = self.pattern.search(skeleton)
            if match is not None:
                key = match.group(1).replace(" ", "")
                return self.terms.get(key) or self.terms[key.replace(",", "")]
        return None


# Between a term's words: an optional space, and a comma a list may put there ("Kate, Moss",
# "Tyler, the Creator"). Surname-first, the comma is required: "Swift, Taylor".
_BETWEEN = "(?: ?,)? ?"
_SURNAME_COMMA = " ?, ?"
_SPACE = " ?"

# A regular expression alternative as a sequence of units: escaped characters and separators.
Units = tuple[str, ...]


def _term_words(term: str) -> list[str]:
    return [word for word in skeletons(term)[0].split() if word != ","]


def _units(words: list[str], separator: str) -> Units:
    units: list[str] = []
    for index, word in enumerate(words):
        if index:
            units.append(separator)
        units.extend(re.escape(char) for char in word)
    return tuple(units)


def _trie_pattern(alternatives: list[Units]) -> str:
    """One regular expression for `alternatives`, their common prefixes factored out.

    Hundreds of names as a flat alternation cost a try of every name at every position of the
    text; as a trie, a position that starts no name fails on its first character.
    """
    root: dict = {}
    for units in alternatives:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        branches = [unit + render(child) for unit, child in sorted(node.items()) if unit]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        # Greedy: a longer name is tried before a shorter one it starts with.
        return f"(?:{'|'.join(branches)}){'?' if ends else ''}"

    return render(root)


def compile_terms(terms: list[str]) -> TermMatcher:
    """One matcher for `terms`; the longest match wins, so "Kim Kardashian" over "Kim"."""
    by_key: dict[str, str] = {}
    alternatives: list[Units] = []
    words_of = {term: _term_words(term) for term in terms}
    # Shortest first, ties by spelling, so which of two terms with one skeleton is reported
    # does not depend on the table's order.
    for term in sorted(terms, key=lambda t: (len(" ".join(words_of[t])), t)):
        words = words_of[term]
        key = "".join(words)
        if not key or key in by_key:
            continue
        by_key[key] = term
        alternatives.append(_units(words, _BETWEEN))
        surname_first = f"{words[-1]},{''.join(words[:-1])}"
        if len(words) > 1 and surname_first not in by_key:
            by_key[surname_first] = term
            alternatives.append(
                (*_units(words[-1:], _SPACE), _SURNAME_COMMA, *_units(words[:-1], _SPACE))
            )
    if not alternatives:
        return TermMatcher(pattern=None)
    pattern = re.compile(rf"(?<!\w)({_trie_pattern(alternatives)})s?(?!\w)")
    return TermMatcher(pattern=pattern, terms=by_key)


@functools.cache
def _fingerprint_sql(vendor: str) -> str:
    meta, quote = BlockedTerm._meta, connection.ops.quote_name
    key, updated = quote(meta.pk.column), quote(meta.get_field("updated_at").column)
    return f"SELECT COUNT({key}), MAX({updated}), MAX({key}) FROM {quote(meta.db_table)}"


_lock = threading.Lock()
_cached: tuple[Any, TermMatcher] | None = None


def current_matcher() -> TermMatcher:
    """The matcher for the terms in the database now (one aggregate query, compiled on change)."""
    global _cached
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor))
        fingerprint = tuple(cursor.fetchone())
    cached = _cached
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        matcher = compile_terms(list(BlockedTerm.objects.values_list("term", flat=True)))
        _cached = (fingerprint, matcher)
    return matcher
