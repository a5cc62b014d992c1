"""What a portrait shows, in words and hex colours, for a draft's metadata."""

from __future__ import annotations

from identities.renderer.traits.model import Color, Traits


def hex_color(linear: Color) -> str:
    def channel(c: float) -> int:
        c = min(max(c, 0.0), 1.0)
        s = c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        return round(s * 255)

    return "#" + "".join(f"{channel(c):02x}" for c in linear)


def describe(t: Traits) -> dict:
    p, h, x = t.person, t.hair, t.expression
    gender = "female" if p.femininity > 0.7 else "male" if p.femininity < 0.3 else "androgynous"
    return {
        "gender": gender,
        "age": round(p.age),
        "heritage": p.heritage,
        "skin": {"tone": round(t.skin.depth, 2), "color": hex_color(t.skin.albedo)},
        "build": round(p.build, 2),
        "eyes": {
            "iris": hex_color(t.eyes.iris),
            "tilt": round(t.eyes.tilt, 2),
            "gaze": "to the camera" if abs(t.eyes.gaze) < 0.2 else f"to their {_side(t.eyes.gaze)}",
        },
        "expression": {"smile": round(x.smile, 2), "teeth": x.teeth > 0.05},
        "hair": {
            "color": hex_color(h.color),
            "length": _length_word(h.length, h.cover),
            "curl": round(h.curl, 2),
            "style": [s for s in (h.updo, h.fringe and f"{h.fringe} fringe", h.sides, h.kind) if s]
            or ["loose"],
        },
        "facial_hair": _facial_hair(t),
        "makeup": [k for k, v in _makeup(t).items() if v > 0.05],
        "marks": _marks(t),
    }


def _length_word(length: float, cover: float) -> str:
    if cover < 0.05:
        return "bald"
    if cover < 0.9:
        return "shaved" if cover < 0.2 else "buzzed"
    for limit, word in ((0.0, "cropped"), (0.4, "short"), (1.6, "chin"), (2.6, "shoulder")):
        if length < limit:
            return word
    return "long"


def _facial_hair(t: Traits) -> str:
    f = t.facial_hair
    if f.beard > 0.5:
        return "beard"
    if f.goatee > 0.5:
        return "goatee"
    if f.moustache > 0.5:
        return "moustache"
    if f.stubble > 0.25:
        return "stubble"
    return "none"


def _makeup(t: Traits) -> dict[str, float]:
    m = t.makeup
    return {
        "lip colour": m.lip_alpha if m.lip_color is not None else 0.0,
        "eyeliner": m.liner,
        "eyeshadow": m.shadow_alpha if m.shadow_color is not None else 0.0,
        "mascara": m.mascara,
        "blush": m.blush,
        "contour": m.contour,
    }


def _side(x: float) -> str:
    # The subject's own side: they face the camera, so the image's right is their left.
    return "left" if x > 0 else "right"


def _marks(t: Traits) -> list[str]:
    m = t.marks
    found = []
    if m.freckles > 0.05:
        found.append("freckles")
    found += [f"mole ({_side(x)})" for x, _, _ in m.moles]
    found += [f"mole on the jaw ({_side(side)})" for side, _, _ in m.jaw_moles]
    found += [f"scar ({_side(x)})" for x, _, _, _ in m.scars]
    if m.tattoo:
        found.append(f"{m.tattoo.motif} tattoo ({m.tattoo.place}, {_side(m.tattoo.side)})")
    metals = dict(m.metals)
    found += sorted(
        f"{metals.get(p, 'silver')} {p.replace('_', ' ')} piercing" for p in m.piercings
    )
    if m.birthmark:
        found.append("birthmark")
    if t.skin.vitiligo:
        found.append("vitiligo")
    return found
