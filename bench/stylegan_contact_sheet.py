"""A contact sheet of `mobile_stylegan` drafts for varied briefs, captioned with brief and reading.

    CASTLESS_ENABLE_MOBILE_STYLEGAN=true \
    .venv/bin/python bench/stylegan_contact_sheet.py [--out var/stylegan_sheet.png] [--seed 11]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASTLESS_ENABLE_MOBILE_STYLEGAN", "true")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from identities.engines.base import RenderRequest  # noqa: E402
from identities.engines.stylegan.engine import MobileStyleGANEngine  # noqa: E402


def _brief(gender, age, skin=None, hair=None, facial_hair=None, ethnicity=None, smile=None):
    appearance = {"gender": gender, "age": age}
    if skin:
        appearance["skin"] = skin
    if ethnicity:
        appearance["ethnicity"] = ethnicity
    face = {"facial_hair": facial_hair} if facial_hair else {}
    if smile:
        face["smile"] = smile
    return {"appearance": appearance, "face": face, "hair": {"color": hair} if hair else {}}


BRIEFS = (
    _brief("female", "25", "porcelain", "platinum blonde"),
    _brief("female", "35", "deep", "black", ethnicity="West African"),
    _brief("male", "40s", "light", "dark brown", "full beard"),
    _brief("male", "22", "tan", "black", "clean-shaven"),
    _brief("female", "60s", "fair", "grey"),
    _brief("male", "70+", "light-medium", "white", "short beard"),
    _brief("female", "28", "medium", "auburn", smile="wide smile"),
    _brief("male", "30", "brown", "black", "short beard", ethnicity="South Asian"),
    _brief("female", "early 30s", "olive", "chestnut", ethnicity="South European"),
    _brief("male", "50s", "fair", "grey", "clean-shaven"),
    _brief("female", "22", "light", "golden blonde", smile="no smile"),
    _brief("male", "35", "deep brown", "black", "clean-shaven", ethnicity="East African"),
    _brief("female", "40s", "light-medium", "light brown", ethnicity="East Asian"),
    _brief("male", "28", "fair", "red", "stubble"),
    _brief("non-binary", "25", "tan", "black"),
    _brief("female", "50s", "brown", "black", ethnicity="Afro-Caribbean"),
)
TILE = 320


def caption(brief: dict, read: dict) -> list[str]:
    a, f, h = brief["appearance"], brief["face"], brief["hair"]
    asked = " ".join(
        str(v)
        for v in (
            a.get("gender"),
            a.get("age"),
            a.get("skin"),
            h.get("color"),
            f.get("facial_hair"),
        )
        if v
    )
    got = " ".join(str(read.get(k)) for k in ("gender", "age", "skin", "hair_color", "facial_hair"))
    return [f"asked: {asked}", f"read:  {got}"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "var" / "stylegan_sheet.png"))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    engine = MobileStyleGANEngine()
    font = ImageFont.load_default(size=13)
    columns, rows = 4, (len(BRIEFS) + 3) // 4
    sheet = Image.new("RGB", (columns * TILE, rows * (TILE + 36)), "white")
    draw = ImageDraw.Draw(sheet)
    for index, brief in enumerate(BRIEFS):
        request = RenderRequest(
            prompt="",
            brief=brief,
            expert=False,
            size="1K",
            ar="1:1",
            format="png",
            seed=args.seed + index,
        )
        result = engine.render(request)
        image = Image.open(io.BytesIO(result.image)).convert("RGB").resize((TILE, TILE))
        x, y = index % columns * TILE, index // columns * (TILE + 36)
        sheet.paste(image, (x, y))
        for line, text in enumerate(caption(brief, result.details["read"])):
            draw.text((x + 4, y + TILE + 2 + 16 * line), text, fill="black", font=font)
        print(index, caption(brief, result.details["read"]), result.details["missed"], flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
