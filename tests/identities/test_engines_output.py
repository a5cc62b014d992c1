import io

import pytest
from PIL import Image, ImageChops

from identities.engines import output
from identities.engines.base import EngineError
from identities.engines.output import (
    apply_ai_watermark,
    decode_engine_image,
    encode_image,
    finish_render,
    fit_to,
)
from tests.identities.fakes.images import RED, image_bytes, open_image
from tests.identities.fakes.images import render_request as make_request


def _changed_box(before: Image.Image, after: Image.Image) -> tuple[int, int, int, int]:
    box = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).getbbox()
    assert box is not None, "the images are identical"
    return box


@pytest.mark.parametrize(("fmt", "pil_format"), [("jpg", "JPEG"), ("png", "PNG")])
def test_encoded_images_are_rgb_without_metadata(fmt, pil_format):
    source = Image.new("RGBA", (40, 30), (10, 20, 30, 255))
    source.info["icc_profile"] = b"fake-icc"
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    source.info["exif"] = exif.tobytes()

    encoded = open_image(encode_image(source, fmt))

    assert encoded.format == pil_format and encoded.mode == "RGB" and encoded.size == (40, 30)
    assert "icc_profile" not in encoded.info and "exif" not in encoded.info
    assert len(encoded.getexif()) == 0


def test_encoding_to_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        encode_image(Image.new("RGB", (4, 4)), "gif")


def test_fit_to_covers_and_crops_the_centre():
    wide = open_image(image_bytes(400, 100, RED))  # white square in the middle

    fitted = fit_to(wide, 100, 100)

    assert fitted.size == (100, 100)
    assert fitted.getpixel((50, 50)) == (255, 255, 255)
    assert fitted.getpixel((2, 2)) == pytest.approx(RED, abs=2)


def test_fit_to_keeps_an_exact_size_untouched():
    img = open_image(image_bytes(64, 48))

    assert (
        ImageChops.difference(fit_to(img, 64, 48).convert("RGB"), img.convert("RGB")).getbbox()
        is None
    )


def test_watermark_marks_the_bottom_right_corner_only():
    plain = Image.new("RGB", (1024, 1280), (90, 140, 200))

    left, top, right, bottom = _changed_box(plain, apply_ai_watermark(plain))

    assert left > 1024 * 0.6 and top > 1280 * 0.85
    assert right <= 1024 and bottom <= 1280


def test_watermark_scales_with_the_image():
    small = Image.new("RGB", (512, 512), (200, 200, 200))
    large = Image.new("RGB", (3072, 3072), (200, 200, 200))

    small_box = _changed_box(small, apply_ai_watermark(small))
    large_box = _changed_box(large, apply_ai_watermark(large))

    small_width = small_box[2] - small_box[0]
    assert large_box[2] - large_box[0] > small_width * 4.5


def test_watermark_returns_a_new_image():
    plain = Image.new("RGB", (300, 300), (0, 0, 0))

    apply_ai_watermark(plain)

    assert plain.getbbox() is None  # still all black


def test_engine_images_decode_to_rgb():
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 0, 0)).save(buffer, "PNG")

    decoded = decode_engine_image(buffer.getvalue(), engine="seedream")

    assert decoded.mode == "RGB" and decoded.size == (20, 10)
    assert decoded.getpixel((0, 0)) == (255, 255, 255)  # transparency lands on white


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html>nope</html>",
        image_bytes(64, 64)[:100],
        image_bytes(64, 64, fmt="JPEG")[:-300],
        image_bytes(16, 16, fmt="GIF"),
        image_bytes(16, 16, fmt="BMP"),
    ],
    ids=["empty", "html", "truncated-png", "truncated-jpeg", "gif", "bmp"],
)
def test_unreadable_engine_images_are_bad_responses(data):
    with pytest.raises(EngineError) as caught:
        decode_engine_image(data, engine="seedream")

    assert caught.value.kind == "bad_response" and caught.value.engine == "seedream"


def test_engine_images_over_the_pixel_cap_are_refused(monkeypatch):
    monkeypatch.setattr(output, "MAX_ENGINE_PIXELS", 64 * 64 - 1)

    with pytest.raises(EngineError) as caught:
        decode_engine_image(image_bytes(64, 64), engine="local")

    assert caught.value.kind == "bad_response" and "too large" in caught.value.message


def test_finish_render_gives_exact_pixels_format_and_optional_mark():
    source = open_image(image_bytes(300, 300))

    plain = finish_render(source, make_request(size="1K", ar="4:5", format="jpg"), engine="local")
    marked = finish_render(
        source, make_request(size="1K", ar="4:5", format="jpg", watermark=True), engine="local"
    )

    assert (plain.width, plain.height) == (896, 1120) == open_image(plain.image).size
    assert open_image(plain.image).format == "JPEG"
    assert (plain.engine, plain.seed) == ("local", 1234)
    assert plain.image != marked.image
