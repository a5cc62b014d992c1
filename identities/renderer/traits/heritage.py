"""Ethnicity words to the defaults a sensible casting director would expect.

A profile only fills what the brief leaves open (skin when no tone is given, eye and hair colour,
hair texture, eye, nose and lip proportions), always as a range so variations differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from identities.renderer.words import has, lookup_all

Range = tuple[float, float]


@dataclass(frozen=True)
class Heritage:
    name: str
    skin: Range
    eyes: tuple[str, ...]
    hair: tuple[str, ...]
    curl: Range
    epicanthic: Range
    nose: Range  # alar half-width
    bridge: Range
    lips: Range  # fullness multiplier
    undertone: str


_P = Heritage
PROFILES: dict[str, Heritage] = {
    "north european": _P(
        "north european",
        (0.02, 0.2),
        ("blue", "pale blue", "grey", "green", "hazel", "light brown", "blue grey"),
        ("blonde", "ash blonde", "light brown", "dark blonde", "brown", "strawberry blonde"),
        (0.0, 0.35),
        (0.0, 0.05),
        (0.18, 0.23),
        (0.9, 1.15),
        (0.8, 1.0),
        "cool",
    ),
    "south european": _P(
        "south european",
        (0.18, 0.45),
        ("brown", "dark brown", "hazel", "green", "light brown"),
        ("dark brown", "black", "brown", "chestnut", "soft black"),
        (0.1, 0.5),
        (0.0, 0.05),
        (0.20, 0.24),
        (0.95, 1.2),
        (0.9, 1.1),
        "olive",
    ),
    "east european": _P(
        "east european",
        (0.05, 0.24),
        ("blue", "grey", "green", "hazel", "light brown", "brown", "blue grey"),
        ("light brown", "dark blonde", "brown", "ash blonde", "dark brown", "ash brown"),
        (0.0, 0.35),
        (0.0, 0.08),
        (0.20, 0.24),
        (0.9, 1.1),
        (0.85, 1.05),
        "neutral",
    ),
    "east asian": _P(
        "east asian",
        (0.1, 0.34),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "dark brown", "blue black"),
        (0.0, 0.15),
        (0.55, 1.0),
        (0.20, 0.24),
        (0.55, 0.85),
        (0.85, 1.05),
        "golden",
    ),
    "southeast asian": _P(
        "southeast asian",
        (0.3, 0.58),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "dark brown"),
        (0.0, 0.35),
        (0.3, 0.75),
        (0.22, 0.26),
        (0.55, 0.8),
        (0.95, 1.15),
        "golden",
    ),
    "south asian": _P(
        "south asian",
        (0.35, 0.76),
        ("dark brown", "brown", "black", "light brown", "hazel"),
        ("black", "soft black", "dark brown", "espresso"),
        (0.05, 0.5),
        (0.0, 0.15),
        (0.21, 0.25),
        (0.85, 1.1),
        (0.95, 1.15),
        "warm",
    ),
    "middle eastern": _P(
        "middle eastern",
        (0.25, 0.5),
        ("brown", "dark brown", "hazel", "green", "light brown"),
        ("black", "dark brown", "espresso", "brown"),
        (0.2, 0.6),
        (0.0, 0.08),
        (0.20, 0.24),
        (1.0, 1.3),
        (0.9, 1.1),
        "olive",
    ),
    "north african": _P(
        "north african",
        (0.3, 0.62),
        ("brown", "dark brown", "hazel", "light brown", "green"),
        ("black", "dark brown", "espresso"),
        (0.3, 0.7),
        (0.0, 0.08),
        (0.21, 0.25),
        (0.95, 1.2),
        (0.95, 1.15),
        "warm",
    ),
    "west african": _P(
        "west african",
        (0.72, 0.97),
        ("dark brown", "black", "brown"),
        ("black", "soft black", "espresso"),
        (0.82, 1.0),
        (0.0, 0.08),
        (0.26, 0.31),
        (0.55, 0.8),
        (1.15, 1.35),
        "warm",
    ),
    "east african": _P(
        "east african",
        (0.62, 0.92),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "espresso"),
        (0.7, 0.95),
        (0.0, 0.08),
        (0.22, 0.26),
        (0.85, 1.1),
        (1.05, 1.25),
        "red",
    ),
    "afro caribbean": _P(
        "afro caribbean",
        (0.6, 0.94),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "espresso", "dark brown"),
        (0.75, 1.0),
        (0.0, 0.08),
        (0.24, 0.30),
        (0.6, 0.9),
        (1.1, 1.3),
        "warm",
    ),
    "latin american": _P(
        "latin american",
        (0.2, 0.6),
        ("brown", "dark brown", "hazel", "light brown", "green"),
        ("dark brown", "black", "brown", "espresso", "chestnut"),
        (0.15, 0.6),
        (0.0, 0.2),
        (0.21, 0.25),
        (0.8, 1.1),
        (0.95, 1.15),
        "warm",
    ),
    "pacific islander": _P(
        "pacific islander",
        (0.45, 0.72),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "dark brown"),
        (0.35, 0.8),
        (0.05, 0.25),
        (0.24, 0.29),
        (0.65, 0.9),
        (1.1, 1.3),
        "golden",
    ),
    "indigenous american": _P(
        "indigenous american",
        (0.36, 0.64),
        ("dark brown", "brown", "black"),
        ("black", "soft black", "dark brown"),
        (0.0, 0.2),
        (0.2, 0.5),
        (0.22, 0.26),
        (0.9, 1.2),
        (0.95, 1.1),
        "red",
    ),
}

ETHNICITY_WORDS: dict[str, str] = {
    "north european": "north european",
    "northern european": "north european",
    "scandinavian": "north european",
    "nordic": "north european",
    "irish": "north european",
    "scottish": "north european",
    "british": "north european",
    "german": "north european",
    "dutch": "north european",
    "white": "north european",
    "caucasian": "east european",
    "european": "east european",
    "east european": "east european",
    "eastern european": "east european",
    "slavic": "east european",
    "russian": "east european",
    "polish": "east european",
    "ukrainian": "east european",
    "south european": "south european",
    "southern european": "south european",
    "mediterranean": "south european",
    "italian": "south european",
    "spanish": "south european",
    "greek": "south european",
    "portuguese": "south european",
    "east asian": "east asian",
    "asian": "east asian",
    "chinese": "east asian",
    "japanese": "east asian",
    "korean": "east asian",
    "mongolian": "east asian",
    "southeast asian": "southeast asian",
    "south east asian": "southeast asian",
    "filipino": "southeast asian",
    "filipina": "southeast asian",
    "vietnamese": "southeast asian",
    "thai": "southeast asian",
    "indonesian": "southeast asian",
    "malaysian": "southeast asian",
    "south asian": "south asian",
    "indian": "south asian",
    "pakistani": "south asian",
    "bangladeshi": "south asian",
    "sri lankan": "south asian",
    "nepali": "south asian",
    "middle eastern": "middle eastern",
    "arab": "middle eastern",
    "arabic": "middle eastern",
    "persian": "middle eastern",
    "iranian": "middle eastern",
    "turkish": "middle eastern",
    "lebanese": "middle eastern",
    "north african": "north african",
    "moroccan": "north african",
    "egyptian": "north african",
    "algerian": "north african",
    "west african": "west african",
    "african": "west african",
    "black": "west african",
    "african american": "afro caribbean",
    "nigerian": "west african",
    "ghanaian": "west african",
    "senegalese": "west african",
    "east african": "east african",
    "ethiopian": "east african",
    "somali": "east african",
    "kenyan": "east african",
    "eritrean": "east african",
    "afro caribbean": "afro caribbean",
    "caribbean": "afro caribbean",
    "jamaican": "afro caribbean",
    "haitian": "afro caribbean",
    "latina": "latin american",
    "latino": "latin american",
    "latinx": "latin american",
    "latine": "latin american",
    "hispanic": "latin american",
    "mexican": "latin american",
    "brazilian": "latin american",
    "colombian": "latin american",
    "pacific islander": "pacific islander",
    "polynesian": "pacific islander",
    "samoan": "pacific islander",
    "hawaiian": "pacific islander",
    "maori": "pacific islander",
    "indigenous american": "indigenous american",
    "native american": "indigenous american",
    "indigenous": "indigenous american",
    "first nations": "indigenous american",
}

MIXED_WORDS = ("mixed", "biracial", "multiracial", "mixed heritage", "mixed race")


def heritage_for(text: str, rng: np.random.Generator, skin_hint: float | None) -> Heritage:
    """The profile the ethnicity text names, a blend of several, or a seeded choice."""
    names = list(dict.fromkeys(lookup_all(text, ETHNICITY_WORDS)))
    if not names:
        names = [_pick(rng, skin_hint)]
        if has(text, *MIXED_WORDS):
            names.append(_pick(rng, skin_hint))
    elif len(names) == 1 and has(text, *MIXED_WORDS):
        names.append(_pick(rng, skin_hint))
    profiles = [PROFILES[name] for name in names]
    return profiles[0] if len(profiles) == 1 else blend(profiles)


def _pick(rng: np.random.Generator, skin_hint: float | None) -> str:
    names = sorted(PROFILES)
    if skin_hint is None:
        return names[int(rng.integers(len(names)))]
    # A stated skin tone makes the matching profiles likelier (sensible undefined features).
    fits = [PROFILES[n].skin[0] - 0.06 <= skin_hint <= PROFILES[n].skin[1] + 0.06 for n in names]
    weights = 1.0 + 8.0 * np.array(fits, dtype=float)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


def blend(profiles: list[Heritage]) -> Heritage:
    """A mixed-heritage profile: averaged ranges, pooled colours."""

    def avg(attr: str) -> Range:
        lows = [getattr(p, attr)[0] for p in profiles]
        highs = [getattr(p, attr)[1] for p in profiles]
        return (float(np.mean(lows)), float(np.mean(highs)))

    skins = [p.skin for p in profiles]
    return Heritage(
        name=" and ".join(p.name for p in profiles),
        skin=(min(s[0] for s in skins), max(s[1] for s in skins)),
        eyes=tuple(dict.fromkeys(e for p in profiles for e in p.eyes)),
        hair=tuple(dict.fromkeys(h for p in profiles for h in p.hair)),
        curl=avg("curl"),
        epicanthic=avg("epicanthic"),
        nose=avg("nose"),
        bridge=avg("bridge"),
        lips=avg("lips"),
        undertone=profiles[0].undertone,
    )
