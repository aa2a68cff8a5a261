"""Group avatars and covers, with the image handling of profiles' avatars.

A group's avatar is a profiles avatar: checked by decoding, cropped square, re-encoded without
metadata, stored and served beside the members' ones. A cover is the same checked upload,
re-encoded as one wide JPEG in the groups' own folder.
"""

from __future__ import annotations

import io
import os
import re
import secrets

from PIL import Image, ImageOps

from plugins.profiles import avatars

COVER_SIZE = (1200, 300)
COVER_NAME = re.compile(r"^[A-Za-z0-9_-]{22}-cover\.jpg$")


def cover_directory(settings) -> str:
    return settings.get("groups.cover_directory") or os.path.join(
        settings["cortege.uploads_directory"], "group-covers")


def cover_name(token: str) -> str:
    return f"{token}-cover.jpg"


def _checked(settings, data: bytes) -> dict[int, bytes]:
    """The avatar sizes of an upload, or AvatarError with a sentence when it is refused."""
    return avatars.make_sizes(data, settings["profiles.avatar_max_bytes"],
                              settings["profiles.avatar_max_pixels"])


def _wide(data: bytes) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    image = ImageOps.fit(image.convert("RGB"), COVER_SIZE, method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def save(settings, data: bytes, kind: str) -> str:
    """Store an avatar or a cover; return the token naming its files."""
    sizes = _checked(settings, data)
    if kind == "avatar":
        return avatars.store(avatars.avatar_directory(settings), sizes)
    directory = cover_directory(settings)
    os.makedirs(directory, exist_ok=True)
    token = secrets.token_urlsafe(16)
    with open(os.path.join(directory, cover_name(token)), "xb") as handle:
        handle.write(_wide(data))
    return token


def delete(settings, token: str | None, kind: str) -> None:
    if not token:
        return
    if kind == "avatar":
        avatars.delete(avatars.avatar_directory(settings), token)
        return
    try:
        os.remove(os.path.join(cover_directory(settings), cover_name(token)))
    except FileNotFoundError:
        pass


def avatar(group, request, size: int = 128) -> dict:
    """{"url"} of the group's avatar, or {"initials", "colour"} for the default."""
    if group.avatar:
        size = size if size in avatars.SIZES else avatars.SIZES[0]
        return {"url": request.route_url("profiles_avatar_file",
                                         name=avatars.file_name(group.avatar, size))}
    return {"initials": avatars.initials(group.name), "colour": avatars.colour(group.id)}


def cover_url(group, request) -> str | None:
    if not group.cover:
        return None
    return request.route_url("groups_cover_file", name=cover_name(group.cover))
