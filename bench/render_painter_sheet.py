"""A contact sheet of one job per row: a few briefs, several variations of each, to look at
whether variations read as different people and whether every stated field still shows.

    .venv/bin/python bench/render_painter_sheet.py [out.png] [--variations 4] [--seed N]

Each row is one brief (the first is an expert prompt, read as the in-house engines read it),
each column a variation with its own seed, as a job draws them; tiles are 1K 3:4 renders,
shrunk, labelled with the row's brief underneath.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from identities.engines.sizes import pixel_size  # noqa: E402
from identities.renderer import brief_from_prompt, render_portrait  # noqa: E402

EXPERT = (
    "Portrait of a woman in her thirties with warm olive skin, dark brown hair in a low bun, "
    "gold hoop earrings, a mole on her left cheek, beauty marks along the jaw, looking to the side"
)
ROWS: list[tuple[str, dict]] = [
    ("expert: " + EXPERT[12:80] + "...", brief_from_prompt(EXPERT)),
    ("hair: auburn (nothing else)", {"hair": {"color": "auburn"}}),
    (
        "male, West African, deep skin, short beard, thick brows",
        {
            "appearance": {"gender": "male", "ethnicity": "West African", "skin": "deep"},
            "face": {"facial_hair": "short beard", "eyebrows": "thick"},
        },
    ),
    (
        "female, East Asian, tan skin, bob, almond eyes, red lip",
        {
            "appearance": {"gender": "female", "ethnicity": "East Asian", "skin": "tan"},
            "face": {"eyes": "almond-shaped", "makeup": "red lip"},
            "hair": {"style": "bob", "color": "black"},
        },
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="/tmp/coord/painter_sheet.png")
    parser.add_argument("--variations", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    width, height = pixel_size("1K", "3:4")
    tile_w, tile_h, label_h = width // 3, height // 3, 18
    sheet = Image.new(
        "RGB", (tile_w * args.variations, (tile_h + label_h) * len(ROWS)), (30, 30, 30)
    )
    draw = ImageDraw.Draw(sheet)
    started = time.perf_counter()
    for row, (label, brief) in enumerate(ROWS):
        y = row * (tile_h + label_h)
        for v in range(args.variations):
            portrait = render_portrait(
                brief,
                seed=args.seed * 1000 + row * 31 + v * 7919,
                variation=v,
                width=width,
                height=height,
            )
            tile = portrait.image.resize((tile_w, tile_h), Image.Resampling.LANCZOS)
            sheet.paste(tile, (v * tile_w, y))
        draw.text((4, y + tile_h + 3), label, fill=(235, 235, 235))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
