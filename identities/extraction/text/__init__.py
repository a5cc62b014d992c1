"""From Text, embedded: see parser.py."""

from identities.extraction.text.parser import parse_paragraph

__all__ = ["parse_paragraph"]
