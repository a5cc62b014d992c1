"""Brief steering: what a brief asks for, in the labels the directions predict, and the search.

MobileStyleGAN has no text input. What it can be asked for is what a linear direction in its
style space predicts well (fitted by bench/stylegan_fit_directions.py on photos labelled by
independent readers): gender, age, skin lightness, hair lightness and colour, beard, smile, head
turn, backdrop lightness and texture, eye-opening lightness — and, as log-odds, the categories a
brief names: each hair colour family and facial hair present. A brief becomes targets on those
labels; the search maps thousands of latents (a tenth of a millisecond each), ranks them by
predicted distance to the targets, and nudges the best along the directions by the smallest
move that closes the remaining gaps. Everything else in a brief is reported as not drawn.

Ranking and nudging use the fitted linear predictors only — no reader looks at a candidate — so
the brief-fidelity bench, which judges drafts with those readers, stays a check of the steering.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from identities.engines.stylegan.directions import Directions, smallest_move
from identities.engines.stylegan.model import LAYERS
from identities.extraction.hair import HAIR_COLOURS

# A direction explaining less of its label than this moves the prediction but not the photo.
MIN_R2_TO_NUDGE = 0.25
# The largest nudge, as a multiple of the style space's per-axis spread summed over axes:
# beyond about half of it faces lose their realism and start to look like each other.
MAX_NUDGE = 0.45
# Every identity is an adult, and the generator draws children too (a tenth of its samples
# read under 14): candidates are kept away from those the "minor" predictor (the age network
# reading under 18) gives more than about 8 % to (a stricter bound read young adults older
# by ten years), and from a predicted age under the floor.
MINOR_LOGIT = -2.0
ADULT_FLOOR = 22.0
# Log-odds the category targets ask for. The category predictors are fitted on noisy readings
# (a hair colour read off a busy backdrop, a beard in shadow), so their log-odds are timid: a
# style the readers call blonde every time still predicts only about 3 to 5. Two log-odds of
# miss count as one tolerance.
HAIR_LOGIT = 4.0
BEARD_LOGIT = 6.0
SHAVEN_LOGIT = -3.0
CATEGORY_TOLERANCE = 2.0
# Where in the 23 style inputs (coarse to fine: two at 4 px, then three per resolution from 8 to
# 512 px) a category is moved: hair colour in the 32 px and finer inputs (colour; the face's
# shape and the person stay), facial hair in the 8–64 px ones. Seen on contact sheets: the same
# moves on every input also pale the skin and change the face.
CATEGORY_LAYERS = {"hair": (8, 23), "bearded": (5, 14), "minor": (0, 23)}
# The largest category move, as a multiple of the style space's spread (about the nudge's).
CATEGORY_MAX = 0.5
# Numeric labels a category move must not shift.
_HELD = frozenset({"age", "male", "skin_ita"})
# Hair colour families, as the fit script and the brief-fidelity bench name them.
HAIR_FAMILIES = {
    **dict.fromkeys(
        ("platinum blonde", "ash blonde", "golden blonde", "strawberry blonde"), "blonde"
    ),
    **dict.fromkeys(("light brown", "chestnut", "dark brown"), "brown"),
    **dict.fromkeys(("black", "jet-black"), "black"),
    **dict.fromkeys(("auburn", "red", "copper"), "red"),
    **dict.fromkeys(("grey", "silver", "white"), "grey"),
}

# ITA (degrees) at the middle of each chip's range in the skin reader, lightest first, and the
# renderer's position of the same chip on its 0–1 depth scale (what ethnicity resolves to).
_SKIN_CHIPS = (
    ("porcelain", 0.02, 72.0),
    ("fair", 0.11, 63.0),
    ("light", 0.2, 52.0),
    ("light-medium", 0.3, 44.0),
    ("medium", 0.4, 37.0),
    ("tan", 0.54, 24.5),
    ("brown", 0.66, 6.0),
    ("deep brown", 0.78, -17.0),
    ("deep", 0.86, -42.0),
)
_HAIR_SYNONYMS = {
    "jet-black": "black",
    "jet black": "black",
    "raven": "black",
    "blonde": "golden blonde",
    "blond": "golden blonde",
    "brunette": "dark brown",
    "brown": "light brown",
    "ginger": "copper",
    "gray": "grey",
    "salt and pepper": "grey",
    "platinum": "platinum blonde",
}
# Brief fields a generated headshot shows and the steering aims for; every other given field
# is listed as not drawn on the draft.
STEERED = (
    "appearance.gender",
    "appearance.age",
    "appearance.skin",
    "appearance.ethnicity",
    "appearance.expression",
    "face.smile",
    "face.facial_hair",
    "hair.color",
)
# Not in a head-and-shoulders photo at all.
NOT_SHOWN = ("appearance.height", "appearance.size", "appearance.build")


@dataclass(frozen=True)
class Target:
    label: str
    kind: str  # "near" | "at_least" | "at_most"
    value: float
    tolerance: float  # label units that count as one unit of miss
    weight: float
    field: str  # the brief path it serves, or "treatment" (frontal, plain light backdrop)
    # A read-back miss on a strict target sends the search to the next candidate; a busy
    # backdrop alone does not.
    strict: bool = True

    def miss(self, value: float) -> float:
        """Signed miss in tolerances: 0 when satisfied."""
        if math.isnan(value):
            return 0.0
        if self.kind == "near":
            gap = value - self.value
        elif self.kind == "at_least":
            gap = min(0.0, value - self.value)
        else:
            gap = max(0.0, value - self.value)
        return gap / self.tolerance

    def aim(self) -> float:
        """Where a nudge should land: a little inside a bound, exactly on a point."""
        inside = 0.5 * self.tolerance
        return {"near": 0.0, "at_least": inside, "at_most": -inside}[self.kind] + self.value


@dataclass(frozen=True)
class Plan:
    targets: tuple[Target, ...]
    aimed: dict[str, str] = field(default_factory=dict)  # brief path → what was aimed for
    not_drawn: tuple[str, ...] = ()  # "hair.style: braids"


def plan_for(brief: dict | None, *, seed: int, variation: int, directions: Directions) -> Plan:
    """The targets a brief sets, read with the in-house painter's brief reader.

    The painter's reader turns free text ("early 30s", "West African", "salt-and-pepper") into
    numbers, seeded per (seed, variation) the same way, so both engines read a brief alike.
    """
    # Imported here: the brief reader lives with the painter, whose package pulls in OpenCV.
    from identities.renderer.traits import build_traits
    from identities.renderer.traits.brief import BriefText
    from identities.renderer.words import has

    text = BriefText(brief)
    traits = build_traits(brief, seed=seed, variation=variation)
    targets: list[Target] = list(_treatment(directions))
    aimed: dict[str, str] = {}
    notes: list[str] = []
    femininity = traits.person.femininity
    beard = traits.facial_hair
    gender_given = text.given("appearance.gender") or text.given("face.facial_hair")
    # The generator draws beards, moustaches and goatees on faces it draws as men's only: an
    # androgynous or unstated gender that asks for one is aimed masculine, or the facial hair
    # would not show (seen on the bench: most misses were bearded briefs drawn as women).
    wants_facial_hair = text.given("face.facial_hair") and (
        beard.beard > 0.5 or beard.moustache >= 0.5 or beard.goatee >= 0.5
    )
    if gender_given:
        if femininity > 0.7:
            targets.append(Target("male", "at_most", -2.0, 1.0, 4.0, "appearance.gender"))
            aimed["appearance.gender"] = "female"
        elif femininity < 0.3 or wants_facial_hair:
            targets.append(Target("male", "at_least", 2.0, 1.0, 4.0, "appearance.gender"))
            aimed["appearance.gender"] = (
                "male" if femininity < 0.3 else "masculine (for the facial hair asked for)"
            )
        else:
            targets.append(Target("male", "near", 0.0, 1.0, 2.0, "appearance.gender"))
            aimed["appearance.gender"] = "androgynous"
    targets.append(Target("minor", "at_most", MINOR_LOGIT, 1.0, 6.0, "treatment"))
    targets.append(Target("age", "at_least", ADULT_FLOOR, 3.0, 6.0, "treatment"))
    if text.given("appearance.age"):
        age = max(traits.person.age, ADULT_FLOOR)
        targets.append(Target("age", "near", age, 5.0, 3.0, "appearance.age"))
        aimed["appearance.age"] = f"{age:.0f}"
    if text.given("appearance.skin") or text.given("appearance.ethnicity"):
        chip, ita = _skin_target(traits.skin.depth)
        targets.append(Target("skin_ita", "near", ita, 8.0, 2.0, "appearance.skin"))
        aimed["appearance.skin"] = chip
    if text.given("hair.color"):
        name = _hair_target(text("hair.color"))
        if name is not None:
            # The family (blonde, brown, black, red, grey) first; the shade within it by the
            # hair's lightness, lightly.
            family = HAIR_FAMILIES[name]
            targets.append(
                Target(
                    f"hair_{family}", "at_least", HAIR_LOGIT, CATEGORY_TOLERANCE, 3.0, "hair.color"
                )
            )
            targets.append(Target("hair_l", "near", HAIR_COLOURS[name][0], 10.0, 0.5, "hair.color"))
            aimed["hair.color"] = name
        else:
            notes.append(f"hair.color: {text.raw('hair.color')} (not a colour it can aim for)")
    if text.given("face.facial_hair"):
        if beard.beard > 0.5:
            targets.append(_bearded("at_least", 3.0, "face.facial_hair"))
            aimed["face.facial_hair"] = "beard"
        elif beard.stubble >= 0.3 and beard.moustache < 0.5 and beard.goatee < 0.5:
            targets.append(Target("beard", "near", 0.25, 0.08, 2.0, "face.facial_hair"))
            aimed["face.facial_hair"] = "stubble"
        elif beard.moustache >= 0.5 or beard.goatee >= 0.5:
            # No direction of their own: aim for some facial hair rather than none, and report
            # the shape as not drawn.
            targets.append(_bearded("at_least", 3.0, "face.facial_hair"))
            aimed["face.facial_hair"] = "some facial hair"
        else:
            targets.append(_bearded("at_most", 3.0, "face.facial_hair"))
            aimed["face.facial_hair"] = "clean-shaven"
    elif femininity > 0.7:
        targets.append(_bearded("at_most", 2.0, "treatment"))
    if text.given("face.smile") or text.given("appearance.expression"):
        low, high = directions.quantile("smile", 0), directions.quantile("smile", 2)
        smile = float(np.clip(traits.expression.smile, 0.0, 1.0))
        targets.append(
            Target("smile", "near", low + smile * (high - low), (high - low) / 4, 1.0, "face.smile")
        )
        aimed["face.smile"] = f"{smile:.2f}"
    not_drawn = [
        f"{path}: {text.raw(path)}"
        for path in text.paths
        if text.given(path) and path not in STEERED
    ]
    if text.given("appearance.ethnicity"):
        not_drawn.append(
            f"appearance.ethnicity: {text.raw('appearance.ethnicity')} (only as skin tone)"
        )
    if text.given("face.facial_hair") and has(
        text("face.facial_hair"), "moustache", "mustache", "goatee", "van dyke"
    ):
        not_drawn.append(
            f"face.facial_hair: {text.raw('face.facial_hair')} (its shape is not steered)"
        )
    return Plan(targets=tuple(targets), aimed=aimed, not_drawn=tuple(not_drawn + notes))


def _bearded(kind: str, weight: float, path: str) -> Target:
    """Facial hair present (or absent) as the facial-hair reader would say, in log-odds."""
    value = BEARD_LOGIT if kind == "at_least" else SHAVEN_LOGIT
    return Target("bearded", kind, value, CATEGORY_TOLERANCE, weight, path)


def _treatment(directions: Directions) -> tuple[Target, ...]:
    """The standard picture: facing the camera, a plain light backdrop, eye openings no darker
    than the darkest tenth of the samples."""
    eyes_floor = directions.quantile("eyes_l", 0)
    return (
        Target("yaw", "near", 0.0, 0.04, 3.0, "treatment"),
        Target("bg_l", "at_least", 72.0, 10.0, 1.5, "treatment", strict=False),
        Target("bg_texture", "at_most", 5.0, 4.0, 1.0, "treatment", strict=False),
        Target("eyes_l", "at_least", eyes_floor, 0.08, 2.0, "treatment"),
    )


def _skin_target(depth: float) -> tuple[str, float]:
    depths = [d for _, d, _ in _SKIN_CHIPS]
    itas = [i for _, _, i in _SKIN_CHIPS]
    ita = float(np.interp(depth, depths, itas))
    chip = min(_SKIN_CHIPS, key=lambda row: abs(row[1] - depth))[0]
    return chip, ita


def _hair_target(words: str) -> str | None:
    from identities.renderer.words import has

    names = sorted((*HAIR_COLOURS, *_HAIR_SYNONYMS), key=len, reverse=True)
    for name in names:
        if has(words, name.replace("-", " ")):
            return _HAIR_SYNONYMS.get(name, name)
    return None


def cost(values: np.ndarray, plan: Plan, directions: Directions) -> np.ndarray:
    """Weighted squared misses for n x k label values (predicted or read)."""
    values = np.atleast_2d(values)
    total = np.zeros(len(values))
    for target in plan.targets:
        column = values[:, directions.index(target.label)]
        total += target.weight * _misses(target, column) ** 2
    return total


def _misses(target: Target, column: np.ndarray) -> np.ndarray:
    column = np.nan_to_num(column, nan=target.value)
    if target.kind == "near":
        gap = column - target.value
    elif target.kind == "at_least":
        gap = np.minimum(0.0, column - target.value)
    else:
        gap = np.maximum(0.0, column - target.value)
    return gap / target.tolerance


def rank(styles: np.ndarray, plan: Plan, directions: Directions) -> np.ndarray:
    """Candidate indices, best predicted match first (ties broken by index: deterministic)."""
    scores = cost(directions.predict(styles), plan, directions)
    return np.lexsort((np.arange(len(scores)), scores))


def nudge(style: np.ndarray, plan: Plan, directions: Directions) -> np.ndarray:
    """Per-layer styles (23 x 512): `style` moved onto the brief's targets.

    First the smallest move, on every layer, that puts each reliable numeric prediction on its
    target; then each missed category (hair colour family, facial hair) along its own predictor,
    on the layers it lives in (CATEGORY_LAYERS); last, away from a predicted minor."""
    moved = _numeric_nudge(style, plan, directions)
    layers = np.repeat(moved.reshape(1, -1), LAYERS, axis=0)
    predicted = directions.predict(moved)[0]
    # A category's move keeps the predicted age, gender and skin where the numeric nudge put
    # them: grey hair or a beard along their raw predictors would also add years.
    held = [
        directions.coef[directions.index(label)]
        for label in sorted({t.label for t in plan.targets})
        if label in _HELD and directions.r2[directions.index(label)] >= MIN_R2_TO_NUDGE
    ]
    for target in plan.targets:
        index = directions.index(target.label)
        if directions.kinds[index] == "logit" and target.label != "minor":
            layers = _category_move(layers, target, float(predicted[index]), directions, held)
    minor = next((t for t in plan.targets if t.label == "minor"), None)
    if minor is not None:
        now = float(directions.predict(layers.mean(axis=0))[0][directions.index("minor")])
        layers = _category_move(layers, minor, now, directions, [])
    return layers.astype(np.float32)


def _category_move(
    layers: np.ndarray,
    target: Target,
    predicted: float,
    directions: Directions,
    held: list[np.ndarray],
) -> np.ndarray:
    """`layers` moved along the category's predictor onto its aim, on its layers; the smallest
    such move that leaves the `held` predictors unchanged."""
    aim = target.aim()
    if (target.kind == "at_least" and predicted >= aim) or (
        target.kind == "at_most" and predicted <= aim
    ):
        return layers
    coef = directions.coef[directions.index(target.label)]
    matrix = np.array([coef, *held])
    gap = np.zeros(len(matrix))
    gap[0] = aim - predicted
    move = smallest_move(matrix, gap, limit=CATEGORY_MAX * directions.spread)
    low, high = CATEGORY_LAYERS[target.label.split("_")[0]]
    layers = layers.copy()
    layers[low:high] += move
    return layers


def _numeric_nudge(style: np.ndarray, plan: Plan, directions: Directions) -> np.ndarray:
    """The smallest move of `style` that puts every reliable numeric prediction on its target
    (hair colour is left to its category move)."""
    predicted = directions.predict(style)[0]
    rows, gaps = [], []
    for target in plan.targets:
        index = directions.index(target.label)
        if directions.kinds[index] != "linear" or target.label.startswith("hair_"):
            continue
        if directions.r2[index] < MIN_R2_TO_NUDGE:
            continue
        if target.miss(predicted[index]) == 0.0 and target.kind != "near":
            continue
        rows.append(directions.coef[index] * math.sqrt(target.weight))
        gaps.append((target.aim() - predicted[index]) * math.sqrt(target.weight))
    if not rows:
        return np.asarray(style, dtype=np.float64)
    matrix, gap = np.array(rows), np.array(gaps)
    move = smallest_move(matrix, gap, limit=MAX_NUDGE * directions.spread)
    return np.asarray(style, dtype=np.float64) + move
