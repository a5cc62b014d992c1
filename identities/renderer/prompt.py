"""An expert prompt read as a brief, so the in-house engines draw what a free-text prompt asks.

Expert prompts reach external engines verbatim; the in-house painter can only read words, so
it gives each brief field the prompt's clauses that talk about that field ("green eyes" to
eyes, "long red hair" to hair), which keeps "brown hair, green eyes" from crossing over.
"""

from __future__ import annotations

import re

from identities.renderer.words import fold, has

# field path → words that mark a clause as being about that field
_ANCHORS: dict[str, tuple[str, ...]] = {
    "appearance.skin": ("skin", "complexion", "skinned", "tan", "tanned", "pale"),
    "appearance.build": ("build", "body", "figure", "physique", "slim", "athletic", "curvy"),
    "appearance.expression": (
        "expression",
        "smile",
        "smiling",
        "serious",
        "looking",
        "mood",
        "gaze",
        "gazing",
        "glance",
        "glancing",
    ),
    "face.eyes": ("eye", "eyes", "eyed"),
    "face.eyebrows": ("brow", "brows", "eyebrow", "eyebrows"),
    "face.nose": ("nose",),
    "face.lips": ("lip", "lips", "mouth"),
    "face.smile": ("smile", "smiling", "grin", "grinning", "smirk", "laughing", "dimples"),
    "face.face_shape": ("face", "jaw", "jawline", "cheekbones", "chin"),
    "face.facial_hair": (
        "beard",
        "bearded",
        "stubble",
        "moustache",
        "mustache",
        "goatee",
        "shaven",
    ),
    "face.makeup": ("makeup", "make up", "lipstick", "eyeliner", "mascara", "smoky", "glam"),
    "face.marks": (
        "freckles",
        "freckled",
        "mole",
        "moles",
        "tattoo",
        "tattoos",
        "piercing",
        "piercings",
        "pierced",
        "ring",
        "stud",
        "studs",
        "hoop",
        "hoops",
        "septum",
        "scar",
        "scars",
        "birthmark",
        "vitiligo",
        "beauty mark",
        "beauty marks",
        "beauty spot",
        "beauty spots",
        "earring",
        "earrings",
    ),
    "hair.color": ("hair", "haired", "blonde", "blond", "brunette", "redhead"),
    "hair.length": ("hair", "haired", "bob", "bald", "shaved head", "buzz", "pixie", "crop"),
    "hair.style": (
        "hair",
        "bob",
        "braids",
        "locs",
        "dreadlocks",
        "ponytail",
        "bun",
        "bangs",
        "fringe",
        "curls",
        "afro",
        "updo",
        "cornrows",
        "slicked",
    ),
}
# Clothes and the set: their colour words ("a white shirt", "black backdrop") are not heritage.
_SCENE = (
    "shirt",
    "t shirt",
    "top",
    "dress",
    "blouse",
    "jacket",
    "sweater",
    "suit",
    "coat",
    "turtleneck",
    "background",
    "backdrop",
    "wall",
)
_AGE = re.compile(
    r"(\d{2})\s*(?:-|\s)?(?:years?|yrs?|yo)\b|aged?\s*(\d{2})|\b(?:early|mid|late)?\s*\d0s\b"
    r"|\b(?:early|mid|late)?\s*(?:twenties|thirties|forties|fifties|sixties|seventies)\b"
    r"|\b(?:teen|young adult|middle aged|middle-aged|elderly|senior)\b",
    re.IGNORECASE,
)


def brief_from_prompt(prompt: str) -> dict:
    """A brief with each field set to the prompt's clauses about it (fields may be absent)."""
    clauses = [c for c in re.split(r"[,;.\n]| with | and | but ", prompt or "") if c.strip()]
    brief: dict[str, dict[str, str]] = {"appearance": {}, "face": {}, "hair": {}}
    for path, anchors in _ANCHORS.items():
        picked = [c.strip() for c in clauses if has(fold(c), *anchors)]
        if picked:
            group, name = path.split(".")
            brief[group][name] = ", ".join(picked)
    # Heritage words are read from the clauses no feature claimed: "black hair" or "a white
    # top" says nothing of where a person's family is from.
    features = ("hair.", "face.eyes", "face.eyebrows", "face.lips", "face.makeup", "face.marks")
    claimed = {
        c.strip()
        for path, anchors in _ANCHORS.items()
        if path.startswith(features)
        for c in clauses
        if has(fold(c), *anchors)
    }
    claimed |= {c.strip() for c in clauses if has(fold(c), *_SCENE)}
    brief["appearance"]["gender"] = prompt
    brief["appearance"]["ethnicity"] = ", ".join(
        c.strip() for c in clauses if c.strip() not in claimed
    )
    age = _AGE.search(prompt or "")
    if age:
        brief["appearance"]["age"] = age.group(0)
    return brief
