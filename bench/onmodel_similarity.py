"""Do on-model images stay the identity's face, and someone else's never? (issue 13)

    CASTLESS_ENABLE_MOBILE_STYLEGAN=true .venv/bin/python bench/onmodel_similarity.py \
        [--identities 4] [--sheet /tmp/onmodel_sheet.png]

Makes identities the way drafts are made (mobile_stylegan when enabled, and the in-house
painter), then draws 4 on-model outputs of each with different prompts and seeds through
`identities.engines.onmodel`, and embeds every portrait and output with the product's
recogniser (`identities.faces`, SFace). Prints, per engine, the cosine of each output to its own
identity's portrait (median / min / max) and the highest cosine to any other identity, with the
issue's targets (own ≥ 0.6, others < 0.5), the one-face rate and the median seconds per output.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BRIEFS = (
    {"appearance": {"gender": "female", "age": "28", "skin": "light"}, "hair": {"color": "blonde"}},
    {"appearance": {"gender": "male", "age": "45", "skin": "deep brown"}},
    {"appearance": {"gender": "female", "age": "35", "ethnicity": "East Asian"}},
    {"appearance": {"gender": "male", "age": "30"}, "face": {"facial_hair": "full beard"}},
    {"appearance": {"gender": "female", "age": "60"}, "hair": {"color": "grey"}},
    {"appearance": {"gender": "male", "age": "24", "skin": "tan"}, "hair": {"color": "black"}},
)
PROMPTS = (
    "$model smiling, white backdrop, soft light",
    "$model looking slightly left, serious expression, dark background, dramatic lighting",
    "$model in a red sweater, warm light, head and shoulders",
    "$model looking right, older, grey background",
)
SEEDS = (42, 7, 90210, 3141592)


def main() -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=4)
    parser.add_argument("--sheet", default="/tmp/onmodel_sheet.png")
    args = parser.parse_args()
    from identities.engines.registry import stylegan_enabled

    briefs = BRIEFS[: args.identities]
    engines = ["local", *(["mobile_stylegan"] if stylegan_enabled() else [])]
    rows = []
    for name in engines:
        portraits, identities = make_identities(name, briefs)
        rows.append(measure(name, portraits, identities))
        contact_sheet(portraits, rows[-1]["outputs"], args.sheet.replace(".png", f"_{name}.png"))
    for row in rows:
        report(row)


def make_identities(name: str, briefs) -> tuple[list, list[dict]]:
    from PIL import Image

    from identities.engines.base import RenderRequest
    from identities.engines.registry import get_engine
    from identities.engines.stylegan.engine import MobileStyleGANEngine

    engine = MobileStyleGANEngine() if name == "mobile_stylegan" else get_engine("local")
    portraits, identities = [], []
    for number, brief in enumerate(briefs):
        seed = 1000 + number
        request = RenderRequest(
            prompt="", brief=brief, expert=False, size="1K", ar="1:1", format="png", seed=seed
        )
        result = engine.render(request)
        portraits.append(Image.open(io.BytesIO(result.image)).convert("RGB"))
        identities.append(
            {
                "identity_code": f"bench{number}",
                "traits": brief,
                "latent": result.details.get("latent"),
                "identity_seed": seed,
                "identity_variation": 0,
            }
        )
    return portraits, identities


def measure(name: str, portraits, identities) -> dict:
    from PIL import Image

    from identities.engines.onmodel import OnModelRequest, onmodel_engine
    from identities.faces import get_face_analyzer

    analyzer = get_face_analyzer()
    references = [embed(analyzer, portrait) for portrait in portraits]
    engine = onmodel_engine(name)
    own, others, seconds, one_face, outputs = [], [], [], 0, []
    for number, fields in enumerate(identities):
        for prompt, seed in zip(PROMPTS, SEEDS, strict=True):
            request = OnModelRequest(
                prompt=prompt,
                face=None,
                products=(),
                pose=None,
                face_reference_mode="match_base",
                aspect_ratio="4:5",
                resolution="1k",
                generation_mode="balanced",
                output_format="png",
                seed=seed + number,
                index=0,
                **fields,
            )
            started = time.perf_counter()
            result = engine.render_on_model(request)
            seconds.append(time.perf_counter() - started)
            image = Image.open(io.BytesIO(result.image)).convert("RGB")
            outputs.append((number, image, result.details.get("edits", [])))
            faces = analyzer.detect(image)
            one_face += len(faces) == 1
            if not faces:
                continue
            vector = analyzer.embed(image, faces[0])
            scores = [analyzer.compare(vector, ref) for ref in references]
            own.append(scores[number])
            others.append(max(s for i, s in enumerate(scores) if i != number))
    return {
        "engine": name,
        "own": own,
        "others": others,
        "seconds": seconds,
        "one_face": one_face,
        "count": len(outputs),
        "outputs": outputs,
    }


def embed(analyzer, image):
    faces = analyzer.detect(image)
    if not faces:
        raise SystemExit("an identity portrait shows no face")
    return analyzer.embed(image, faces[0])


def report(row: dict) -> None:
    own, others = row["own"], row["others"]
    print(f"\n{row['engine']}: {row['count']} outputs, one face in {row['one_face']}")
    print(
        f"  to own identity: median {statistics.median(own):.3f}  min {min(own):.3f}  "
        f"max {max(own):.3f}  (target ≥ 0.6: {sum(s >= 0.6 for s in own)}/{len(own)})"
    )
    print(
        f"  to other identities: max {max(others):.3f}  median of per-output max "
        f"{statistics.median(others):.3f}  (target < 0.5: {sum(s < 0.5 for s in others)}/"
        f"{len(others)})"
    )
    print(f"  seconds per output: median {statistics.median(row['seconds']):.2f}")


def contact_sheet(portraits, outputs, path: str) -> None:
    from PIL import Image

    tile = 256
    columns = 1 + len(PROMPTS)
    sheet = Image.new("RGB", (columns * tile, len(portraits) * tile * 5 // 4), "white")
    for number, portrait in enumerate(portraits):
        top = number * tile * 5 // 4
        sheet.paste(portrait.resize((tile, tile)), (0, top + tile // 8))
        mine = [image for owner, image, _ in outputs if owner == number]
        for column, image in enumerate(mine, start=1):
            sheet.paste(image.resize((tile, tile * 5 // 4)), (column * tile, top))
    sheet.save(path)
    print(f"contact sheet: {path}")


if __name__ == "__main__":
    main()
