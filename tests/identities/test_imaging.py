import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

from identities.imaging import ImageError, load_image, reencode, to_bgr_array


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height RGB pixels, with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_rgb_jpeg_decodes_to_rgb_of_the_same_size():
    image = load_image(encode(Image.new("RGB", (64, 48), (200, 40, 40)), "JPEG"))

    assert image.mode == "RGB"
    assert image.size == (64, 48)
    assert np.allclose(image.getpixel((10, 10)), (200, 40, 40), atol=4)


def test_exif_orientation_is_applied():
    source = Image.new("RGB", (60, 20), (0, 0, 255))
    source.paste((255, 0, 0), (0, 0, 10, 20))  # red strip on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"

    image = load_image(encode(source, "JPEG", exif=exif.tobytes(), quality=95))

    assert image.size == (20, 60)
    red, green, blue = image.getpixel((10, 3))  # the strip is now on top
    assert red > 200 and blue < 60


def test_cmyk_jpeg_becomes_rgb():
    image = load_image(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"))

    assert image.mode == "RGB"
    assert np.allclose(image.getpixel((5, 5)), (255, 0, 0), atol=8)


def test_greyscale_jpeg_becomes_rgb():
    image = load_image(encode(Image.new("L", (32, 32), 128), "JPEG"))

    assert image.mode == "RGB"
    assert np.allclose(image.getpixel((5, 5)), (128, 128, 128), atol=2)


def test_transparent_la_png_is_composited_on_white():
    source = Image.new("LA", (32, 32), (0, 0))
    source.paste((0, 255), (0, 0, 16, 32))  # left half opaque black

    image = load_image(encode(source, "PNG"))

    assert image.mode == "RGB"
    assert image.getpixel((24, 5)) == (255, 255, 255)
    assert image.getpixel((4, 5)) == (0, 0, 0)


def test_palette_png_becomes_rgb():
    source = Image.new("P", (32, 32), 1)
    source.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)

    image = load_image(encode(source, "PNG"))

    assert image.mode == "RGB"
    assert image.getpixel((5, 5)) == (0, 0, 255)


def test_palette_png_transparent_index_turns_white():
    source = Image.new("P", (32, 32), 1)
    source.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)

    image = load_image(encode(source, "PNG", transparency=1))

    assert image.getpixel((5, 5)) == (255, 255, 255)


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped():
    levels = np.array([[0, 32896, 65535]], dtype=np.uint16).repeat(4, axis=0)

    image = load_image(encode(Image.fromarray(levels), "PNG"))

    assert image.mode == "RGB"
    assert [image.getpixel((x, 0))[0] for x in range(3)] == [0, 128, 255]


def test_transparent_webp_is_composited_on_white():
    source = Image.new("RGBA", (32, 32), (255, 0, 0, 0))

    image = load_image(encode(source, "WEBP", lossless=True))

    assert image.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_image_gives_its_first_frame(fmt):
    frames = [Image.new("RGB", (32, 32), colour) for colour in [(255, 0, 0), (0, 255, 0)]]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], lossless=True)

    image = load_image(buffer.getvalue())

    assert np.allclose(image.getpixel((5, 5)), (255, 0, 0), atol=4)


def test_header_claiming_100k_by_100k_pixels_is_refused_before_decoding():
    with pytest.raises(ImageError, match="too large"):
        load_image(png_header_only(100_000, 100_000))


def test_image_above_the_pixel_cap_is_refused_with_its_size():
    with pytest.raises(ImageError, match="9000×9000"):
        load_image(png_header_only(9000, 9000))


def test_custom_pixel_cap_is_honoured():
    data = encode(Image.new("RGB", (100, 100)), "PNG")

    with pytest.raises(ImageError, match="too large"):
        load_image(data, max_pixels=5_000)


def test_decompression_bomb_warning_is_an_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    data = encode(Image.new("RGB", (40, 40)), "PNG")  # between Pillow's warn and error limits

    with pytest.raises(ImageError, match="too large"):
        load_image(data, max_pixels=10**9)


def test_truncated_jpeg_is_refused():
    data = encode(Image.effect_noise((256, 256), 60).convert("RGB"), "JPEG")

    with pytest.raises(ImageError, match="damaged or incomplete"):
        load_image(data[: len(data) // 2])


def test_truncated_png_is_refused():
    data = encode(Image.effect_noise((256, 256), 60), "PNG")

    with pytest.raises(ImageError, match="damaged or incomplete"):
        load_image(data[:1500])


def test_text_file_is_refused():
    with pytest.raises(ImageError, match="not a JPEG, PNG or WEBP"):
        load_image(b"name,colour\nAda,auburn\n")


def test_formats_outside_the_allow_list_are_refused():
    with pytest.raises(ImageError, match="not a JPEG, PNG or WEBP"):
        load_image(encode(Image.new("RGB", (8, 8)), "GIF"))


def test_zero_bytes_are_refused():
    with pytest.raises(ImageError, match="empty"):
        load_image(b"")


def test_image_error_is_a_value_error():
    assert issubclass(ImageError, ValueError)


def test_embedded_icc_profile_is_applied_and_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (16, 16), (30, 120, 220)), "PNG", icc_profile=srgb)

    image = load_image(data)

    assert "icc_profile" not in image.info
    assert np.allclose(image.getpixel((2, 2)), (30, 120, 220), atol=3)


def test_unusable_icc_profile_is_ignored():
    data = encode(Image.new("RGB", (16, 16), (30, 120, 220)), "PNG", icc_profile=b"garbage")

    assert load_image(data).getpixel((2, 2)) == (30, 120, 220)


@pytest.mark.parametrize("fmt", ["JPEG", "jpg", "PNG", "WEBP"])
def test_reencode_strips_exif_icc_and_text(fmt):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    image = Image.new("RGB", (16, 16), (10, 20, 30))
    image.info.update({"icc_profile": srgb, "exif": exif.tobytes(), "comment": "secret"})

    reopened = Image.open(io.BytesIO(reencode(image, fmt)))

    assert reopened.format == {"jpg": "JPEG"}.get(fmt, fmt)
    assert not reopened.getexif()
    assert not {"icc_profile", "exif", "comment"} & set(reopened.info)


def test_reencode_refuses_other_formats():
    with pytest.raises(ValueError, match="Unsupported output format"):
        reencode(Image.new("RGB", (4, 4)), "GIF")


def test_to_bgr_array_swaps_red_and_blue():
    array = to_bgr_array(Image.new("RGB", (3, 2), (255, 10, 0)))

    assert array.shape == (2, 3, 3)
    assert array.dtype == np.uint8
    assert tuple(array[0, 0]) == (0, 10, 255)


def test_to_bgr_array_composites_alpha_on_white():
    array = to_bgr_array(Image.new("RGBA", (3, 2), (255, 0, 0, 0)))

    assert tuple(array[0, 0]) == (255, 255, 255)
