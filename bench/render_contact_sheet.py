"""A contact sheet of 24 diverse in-house portraits, to look at after any renderer change.

    .venv/bin/python bench/render_contact_sheet.py [out.png] [--seed N]

Half the briefs are hand-picked to span the vocabulary (skin tones, ages, hair types, facial
hair, makeup, marks), half are random chip briefs; each tile is a 1K 3:4 render, shrunk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.samples import random_brief  # noqa: E402
from identities.engines.sizes import pixel_size  # noqa: E402
from identities.renderer import render_portrait  # noqa: E402

CURATED: list[dict] = [
    {
        "appearance": {"gender": "female", "age": "25", "ethnicity": "West African"},
        "hair": {"style": "afro"},
    },
    {
        "appearance": {"gender": "male", "age": "early 30s", "ethnicity": "East Asian"},
        "hair": {"length": "short", "color": "black"},
    },
    {
        "appearance": {"gender": "female", "ethnicity": "North European", "skin": "porcelain"},
        "face": {"marks": "freckles", "eyes": "pale blue"},
        "hair": {"color": "strawberry blonde", "length": "long", "style": "wavy"},
    },
    {
        "appearance": {"gender": "male", "age": "50s", "ethnicity": "Middle Eastern"},
        "face": {"facial_hair": "full beard"},
        "hair": {"color": "grey", "length": "short"},
    },
    {
        "appearance": {"gender": "female", "ethnicity": "South Asian", "expression": "warm"},
        "face": {"makeup": "winged eyeliner", "smile": "toothy smile"},
        "hair": {"color": "black", "length": "very long", "style": "straight"},
    },
    {
        "appearance": {"gender": "non-binary", "age": "22", "skin": "tan"},
        "face": {"marks": "septum ring"},
        "hair": {"length": "buzz cut", "color": "platinum blonde"},
    },
    {
        "appearance": {"gender": "female", "ethnicity": "Latina", "age": "40s"},
        "face": {"makeup": "red lip", "marks": "beauty mark"},
        "hair": {"length": "shoulder-length", "style": "curly", "color": "dark brown"},
    },
    {
        "appearance": {"gender": "male", "ethnicity": "Afro-Caribbean", "build": "muscular"},
        "face": {"facial_hair": "stubble"},
        "hair": {"style": "locs", "length": "long"},
    },
    {
        "appearance": {"gender": "female", "age": "70+", "ethnicity": "East European"},
        "hair": {"color": "white", "length": "chin-length", "style": "bob"},
    },
    {
        "appearance": {"gender": "female", "ethnicity": "East Asian", "expression": "editorial"},
        "face": {"eyes": "monolid", "makeup": "smoky eye"},
        "hair": {"style": "top knot", "color": "black"},
    },
    {
        "appearance": {"gender": "male", "ethnicity": "South European", "age": "28"},
        "face": {"facial_hair": "moustache", "eyebrows": "bushy"},
        "hair": {"style": "slicked back", "color": "dark brown"},
    },
    {
        "appearance": {"gender": "female", "ethnicity": "East African", "skin": "deep"},
        "face": {"marks": "nose piercing", "smile": "wide smile"},
        "hair": {"style": "braids", "length": "long"},
    },
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="/tmp/castless_contact_sheet.png")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    briefs = CURATED + [random_brief(rng) for _ in range(24 - len(CURATED))]
    width, height = pixel_size("1K", "3:4")
    tile_w, tile_h = width // 3, height // 3
    sheet = Image.new("RGB", (tile_w * 6, tile_h * 4), (30, 30, 30))
    draw = ImageDraw.Draw(sheet)
    started = time.perf_counter()
    for i, brief in enumerate(briefs):
        portrait = render_portrait(
            brief, seed=args.seed + i, variation=0, width=width, height=height
        )
        tile = portrait.image.resize((tile_w, tile_h), Image.Resampling.LANCZOS)
        x, y = (i % 6) * tile_w, (i // 6) * tile_h
        sheet.paste(tile, (x, y))
        draw.text((x + 4, y + 4), str(i), fill=(255, 255, 255))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out} ({len(briefs)} portraits in {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
