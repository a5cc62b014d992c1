"""Random briefs drawn from the wizard's chip vocabulary, for benches, contact sheets and tests."""

from __future__ import annotations

import numpy as np

from identities.briefs.vocabulary import FIELDS


def random_brief(rng: np.random.Generator, fill: float = 0.6) -> dict:
    """A brief with each field set to a random chip with probability `fill`."""
    brief: dict[str, dict[str, str]] = {}
    for field in FIELDS:
        if field.chips and rng.random() < fill:
            chip = field.chips[int(rng.integers(len(field.chips)))]
            brief.setdefault(field.group, {})[field.name] = chip.value
    return brief


def depictable_fields() -> list[tuple[str, str, tuple[str, ...]]]:
    """(group, name, chip values) for every field a portrait can show."""
    from identities.renderer.traits import NOT_DEPICTED

    return [
        (f.group, f.name, tuple(c.value for c in f.chips))
        for f in FIELDS
        if f.path not in NOT_DEPICTED
    ]
