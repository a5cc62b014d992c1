"""One draft: candidate search and nudge in latent space, one render, read back for the record.

The candidates are ranked and the best one nudged by the fitted directions alone (steering.py):
no reader looks at a candidate, and a render is not chosen for what the readers saw — except
that a picture YuNet finds no face or several faces in, or whose eyes are behind dark lenses
(labels.EYES_HIDDEN_BELOW: a fashion headshot shows the eyes), is replaced by the next-ranked
candidate: for hidden eyes at most `max_renders` renders, for a face count other than one up to
`face_renders`. A draft is a portrait of one person: in 720 drafts of the brief-fidelity
bench one showed no face in either of two renders. The readers' view of the kept render is
recorded in the draft's details ("read", "missed") as a report, not used to pick it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from identities.engines.stylegan.directions import load_directions
from identities.engines.stylegan.labels import NUMERIC, PhotoLabels, read_labels
from identities.engines.stylegan.latent import (
    PSI,
    candidate_latents,
    encode_latent,
    truncate,
)
from identities.engines.stylegan.model import get_generator
from identities.engines.stylegan.steering import (
    HAIR_FAMILIES,
    Plan,
    nudge,
    plan_for,
    rank,
)


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
    face_renders: int | None = None,
) -> Drawn:
    generator = get_generator()
    directions = load_directions()
    plan = plan_for(brief, seed=seed, variation=variation, directions=directions)
    styles = truncate(
        generator.map(candidate_latents(seed=seed, variation=variation, count=candidates)),
        directions.mean_style.astype(np.float32),
    )
    order = rank(styles, plan, directions)
    renders: list[Drawn] = []
    for attempt in range(max(max_renders, face_renders or 0)):
        if attempt >= max_renders and any(r.labels.faces == 1 for r in renders):
            break  # past the renders for hidden eyes, with a face to keep
        layers = nudge(styles[order[attempt]], plan, directions)
        pixels = generator.synthesize(layers)
        labels = read_labels(pixels)
        renders.append(
            Drawn(
                image=Image.fromarray(pixels),
                face_box=labels.box,
                styles=layers,
                labels=labels,
                details=_details(plan, labels, layers, rank=attempt, candidates=candidates),
            )
        )
        if labels.faces == 1 and not labels.eyes_hidden:
            break
    # The first render with one face and its eyes showing; else the first with one face.
    return min(renders, key=lambda r: (r.labels.faces != 1, r.labels.eyes_hidden))


def missed_fields(labels: PhotoLabels, plan: Plan, names: tuple[str, ...]) -> list[str]:
    """The brief fields the readers saw missed: a numeric label more than one tolerance off, a
    hair colour of another family, facial hair where none was asked for or none where it was."""
    values = dict(zip(names, labels.vector(), strict=True))
    missed = set()
    for target in plan.targets:
        if target.label in ("hair_l", "hair_a", "hair_b"):
            continue  # the shade within the family, aimed at lightly: the family is the ask
        if target.label in values:
            hit = abs(target.miss(values[target.label])) <= 1.0
        elif target.label.startswith("hair_"):
            family = HAIR_FAMILIES.get(labels.hair_colour or "")
            hit = family is not None and f"hair_{family}" == target.label
        elif target.label == "minor":
            hit = labels.values.get("age", 0.0) >= 18.0
        elif target.label == "bearded":
            bearded = _surely_male(labels) and labels.facial_hair is not None
            hit = bearded == (target.kind == "at_least")
        else:
            raise ValueError(f"no reading for {target.label}")
        if not hit:
            missed.add(target.field)
    return sorted(missed - {"treatment"})


def _details(
    plan: Plan, labels: PhotoLabels, layers: np.ndarray, *, rank: int, candidates: int
) -> dict:
    values = labels.values
    return {
        "latent": encode_latent(layers),
        "psi": PSI,
        "search": {"candidates": candidates, "rank": rank},
        "aimed": dict(plan.aimed),
        # What the readers saw on the kept render (a report; the render was not chosen by it).
        "read": {
            "faces": labels.faces,
            "gender": labels.gender,
            "age": round(values["age"]) if "age" in values else None,
            "skin": labels.skin_chip,
            "hair_color": labels.hair_colour,
            # Read on faces the gender network calls male, as From Image does: lipstick and
            # lip shadow darken a philtrum as much as a moustache.
            "facial_hair": (labels.facial_hair or "none") if _surely_male(labels) else None,
            "eyes_hidden": labels.eyes_hidden,
        },
        "missed": missed_fields(labels, plan, NUMERIC),
        "not_drawn": list(plan.not_drawn),
    }


def _surely_male(labels: PhotoLabels) -> bool:
    return labels.gender == "male" and labels.gender_probability >= 0.8 and bool(labels.skin_chip)
