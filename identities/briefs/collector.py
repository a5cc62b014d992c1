"""Collecting every problem of a JSON body, on exact field paths, instead of stopping at the first.

The generic half of validation: objects, unknown keys, choices and free text (length, control
characters, real people's names, minors). `validation` adds what a creation request is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from config.refusals import FieldError
from identities.briefs.minors import minor_phrase
from identities.briefs.request import BriefError

MINOR_MESSAGE = "Describe an adult: we never generate anyone under 18"

FindBlocked = Callable[[str], str | None]


def join_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def one_of(values: tuple[str, ...]) -> str:
    return "Must be one of " + ", ".join(values)


def unknown_field(allowed: tuple[str, ...]) -> str:
    return "Unknown field; allowed: " + ", ".join(allowed)


def is_int(value: Any) -> bool:
    # JSON true/false arrive as bools, which Python counts as ints.
    return isinstance(value, int) and not isinstance(value, bool)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def has_control(text: str, *, multiline: bool) -> bool:
    allowed = "\n\r\t" if multiline else ""
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def _default_find_blocked() -> FindBlocked:
    # Imported late: the matcher reads the BlockedTerm table, which needs the app registry.
    from identities.briefs.blocklist import current_matcher

    return current_matcher().find


class Collector:
    """Accumulates FieldErrors; `raise_if_any` turns them into one BriefError."""

    # Keys accepted but not advertised in "Unknown field; allowed: …" messages.
    unlisted: tuple[str, ...] = ()

    def __init__(self, *, find_blocked: FindBlocked | None = None):
        self.errors: list[FieldError] = []
        self.blocked_term: str | None = None
        self._find_blocked = find_blocked

    def add(self, path: str | None, message: str) -> None:
        self.errors.append(FieldError(field=path, message=message))

    def has_error(self, path: str) -> bool:
        return any(
            e.field == path or (e.field or "").startswith((f"{path}.", f"{path}["))
            for e in self.errors
        )

    def raise_if_any(self) -> None:
        if self.errors:
            raise BriefError(self.errors, blocked_term=self.blocked_term)

    def unknown_keys(self, raw: Mapping, *, path: str, allowed: tuple[str, ...]) -> None:
        shown = tuple(k for k in allowed if k not in self.unlisted)
        for key in raw:
            if key not in allowed:
                self.add(join_path(path, str(key)), unknown_field(shown))

    def mapping(self, raw: Any, *, path: str) -> Mapping | None:
        """The object at `path` ({} when absent or null), or None after an error."""
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.add(path or None, "Must be an object")
            return None
        return raw

    def text(
        self,
        raw: Any,
        *,
        path: str,
        max_length: int,
        multiline: bool = False,
        check_minors: bool = True,
    ) -> str | None:
        """A stripped, non-empty, clean string, or None (absent, blank or refused)."""
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.add(path, "Must be a string")
            return None
        text = raw.strip()
        if not text:
            return None
        if len(text) > max_length:
            self.add(path, f"At most {max_length} characters (got {len(text)})")
            return None
        if has_control(text, multiline=multiline):
            self.add(path, "Control characters are not allowed")
            return None
        term = self.blocked(text)
        if term:
            self.add(path, f'Names of real people are not allowed: "{term}"')
            self.blocked_term = self.blocked_term or term
            return None
        phrase = minor_phrase(text) if check_minors else None
        if phrase:
            self.add(path, f'{MINOR_MESSAGE}: "{phrase}"')
            return None
        return text

    def blocked(self, text: str) -> str | None:
        # The default matcher costs a query, so it is fetched once, on first use.
        if self._find_blocked is None:
            self._find_blocked = _default_find_blocked()
        return self._find_blocked(text)

    def choice(
        self,
        raw: Any,
        *,
        path: str,
        allowed: tuple[str, ...],
        default: str,
        normalize: Callable[[str], str] | None = None,
    ) -> str:
        if raw is None:
            return default
        value = normalize(raw) if normalize and isinstance(raw, str) else raw
        if value not in allowed:
            self.add(path, one_of(allowed))
            return default
        return value
