"""One draft: candidate search, nudge, render, read back, and a second try when it misses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from identities.engines.stylegan.labels import PhotoLabels, read_labels
from identities.engines.stylegan.latent import (
    PSI,
    as_layers,
    candidate_latents,
    encode_latent,
    truncate,
)
from identities.engines.stylegan.model import get_generator
from identities.engines.stylegan.steering import (
    Plan,
    Target,
    load_directions,
    nudge,
    plan_for,
    rank,
)

# Missing one face outright outweighs any attribute miss.
_FACE_COUNT_PENALTY = 1000.0


@dataclass(frozen=True)
class Drawn:
    image: Image.Image  # 1024² RGB
    face_box: tuple[float, float, float, float] | None
    styles: np.ndarray  # 23 x 512, what was drawn
    labels: PhotoLabels
    details: dict


def draw_draft(
    brief: dict | None,
    *,
    seed: int,
    variation: int,
    candidates: int,
    max_renders: int,
    retry_miss: float,
) -> Drawn:
    generator = get_generator()
    directions = load_directions()
    plan = plan_for(brief, seed=seed, variation=variation, directions=directions)
    styles = truncate(
        generator.map(candidate_latents(seed=seed, variation=variation, count=candidates)),
        directions.mean_style.astype(np.float32),
    )
    order = rank(styles, plan, directions)
    best: tuple[float, int, Drawn] | None = None
    for attempt in range(max_renders):
        layers = as_layers(nudge(styles[order[attempt]], plan, directions))
        pixels = generator.synthesize(layers)
        labels = read_labels(pixels)
        score, misses = verified(labels, plan, directions.names)
        drawn = Drawn(
            image=Image.fromarray(pixels),
            face_box=labels.box,
            styles=layers,
            labels=labels,
            details=_details(plan, labels, layers, misses, rank=attempt, candidates=candidates),
        )
        if best is None or score < best[0]:
            best = (score, attempt, drawn)
        strict = [t for t, m in misses if t.strict and abs(m) > retry_miss]
        if labels.faces == 1 and not strict:
            break
    assert best is not None
    return best[2]


def verified(
    labels: PhotoLabels, plan: Plan, names: tuple[str, ...]
) -> tuple[float, list[tuple[Target, float]]]:
    """Cost of what the readers saw, and each brief target's miss (in tolerances)."""
    values = dict(zip(names, labels.vector(), strict=True))
    score = 0.0 if labels.faces == 1 else _FACE_COUNT_PENALTY
    misses = []
    for target in plan.targets:
        miss = target.miss(values[target.label])
        score += target.weight * miss**2
        if miss:
            misses.append((target, miss))
    return score, misses


def _details(
    plan: Plan,
    labels: PhotoLabels,
    layers: np.ndarray,
    misses: list[tuple[Target, float]],
    *,
    rank: int,
    candidates: int,
) -> dict:
    values = labels.values
    return {
        "latent": encode_latent(layers),
        "psi": PSI,
        "search": {"candidates": candidates, "rank": rank},
        "aimed": dict(plan.aimed),
        "read": {
            "faces": labels.faces,
            "gender": labels.gender,
            "age": round(values["age"]) if "age" in values else None,
            "skin": labels.skin_chip,
            "hair_color": labels.hair_colour,
            # Read on faces the gender network calls male, as From Image does: lipstick and
            # lip shadow darken a philtrum as much as a moustache.
            "facial_hair": (labels.facial_hair or "none") if _surely_male(labels) else None,
        },
        "missed": sorted(
            {target.field for target, miss in misses if abs(miss) > 1.0} - {"treatment"}
        ),
        "not_drawn": list(plan.not_drawn),
    }


def _surely_male(labels: PhotoLabels) -> bool:
    return labels.gender == "male" and labels.gender_probability >= 0.8 and bool(labels.skin_chip)
