"""Avatar images: checked by decoding, cropped square, re-encoded at fixed sizes.

Only the pixels survive: every size is a fresh JPEG written by Pillow, so no metadata of the
upload (location, camera, comments) is kept. Files get random names; the default avatar is
the member's initials on a colour, drawn by the template.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import warnings
import zlib

from PIL import Image, ImageOps, UnidentifiedImageError

from plugins.profiles import _
from plugins.profiles.interfaces import AvatarError

SIZES = (256, 128, 64)
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "WEBP"}
FILE_NAME = re.compile(r"^[A-Za-z0-9_-]{22}-(256|128|64)\.jpg$")
COLOURS = ("#b3261e", "#7d5260", "#6750a4", "#0b57d0", "#00677f", "#146c2e", "#8c4a00",
           "#5d5f5f")


def avatar_directory(settings) -> str:
    return settings["profiles.avatar_directory"] or os.path.join(
        settings["cortege.uploads_directory"], "avatars"
    )


def make_sizes(data: bytes, max_bytes: int, max_pixels: int) -> dict[int, bytes]:
    """The JPEG bytes of each size, or AvatarError when the upload is refused."""
    if len(data) > max_bytes:
        megabytes = round(max_bytes / (1024 * 1024), 1)
        raise AvatarError(_("This image is too large; send one under ${size} MB.",
                            mapping={"size": megabytes}))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise AvatarError(_("Send a JPEG, PNG, GIF or WebP image."))
            if image.width * image.height > max_pixels:
                raise AvatarError(_("This image has too many pixels; send a smaller one."))
            image.load()
    except AvatarError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarError(_("This file is not an image we can read; send a JPEG, PNG, GIF "
                            "or WebP image.")) from None
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    image = image.convert("RGB")
    side = min(image.size)
    cropped = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
    square = Image.new("RGB", (side, side))  # a new image: the pixels, none of the metadata
    square.paste(cropped)
    result = {}
    for size in SIZES:
        scaled = square.resize((size, size), Image.Resampling.LANCZOS) if side != size else square
        out = io.BytesIO()
        scaled.save(out, "JPEG", quality=85, optimize=True)
        result[size] = out.getvalue()
    return result


def file_name(token: str, size: int) -> str:
    return f"{token}-{size}.jpg"


def store(directory: str, sizes: dict[int, bytes]) -> str:
    """Write every size under a new random name; return the name's token."""
    os.makedirs(directory, exist_ok=True)
    token = secrets.token_urlsafe(16)
    for size, data in sizes.items():
        path = os.path.join(directory, file_name(token, size))
        with open(path, "xb") as handle:
            handle.write(data)
    return token


def delete(directory: str, token: str | None) -> None:
    if not token:
        return
    for size in SIZES:
        try:
            os.remove(os.path.join(directory, file_name(token, size)))
        except FileNotFoundError:
            pass


def initials(name: str) -> str:
    words = [word for word in (name or "").replace("-", " ").split() if word[:1].isalnum()]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or "?"


def colour(user_id: int) -> str:
    return COLOURS[zlib.crc32(str(user_id).encode()) % len(COLOURS)]
