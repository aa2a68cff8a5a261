"""Avatars: decoded, cropped square, re-encoded without metadata, random names, limits."""

import io
import os

import pytest
from PIL import Image

from core.extensions import registered
from plugins.profiles.models import Profile


@pytest.fixture(scope="module")
def avatar_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("avatars")


@pytest.fixture
def cortege_settings(cortege_settings, avatar_dir):
    return {**cortege_settings, "profiles.avatar_directory": str(avatar_dir),
            "profiles.avatar_max_bytes": "300000", "profiles.avatar_max_pixels": "4000000"}


def image_bytes(kind="JPEG", size=(600, 400), colour=(200, 30, 30), exif=True):
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif and kind == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        data[0x8825] = {2: (48.0, 51.0, 24.0)}  # a GPS position
        image.save(out, kind, exif=data.tobytes(), comment=b"where I live")
    else:
        image.save(out, kind)
    return out.getvalue()


def upload(browser, username, data, filename="me.jpg"):
    form = browser.get(f"/members/{username}/edit").forms["avatar-form"]
    form["image"] = (filename, data)
    return form.submit(expect_errors=True)


def files_of(avatar_dir, token):
    return sorted(name for name in os.listdir(avatar_dir) if name.startswith(token))


def test_upload_crops_resizes_and_strips_metadata(login, make_member, dbsession, avatar_dir,
                                                  testapp):
    camille = make_member("camille")
    browser = login(camille)
    response = upload(browser, "camille", image_bytes(), "holiday-in-lyon.jpg")
    assert response.status_int == 303
    token = dbsession.get(Profile, camille.id).avatar
    assert token and "holiday" not in token and len(token) == 22
    assert files_of(avatar_dir, token) == [f"{token}-128.jpg", f"{token}-256.jpg",
                                           f"{token}-64.jpg"]
    page = testapp.get("/members/camille")
    src = page.html.select_one("img.avatar")["src"]
    served = testapp.get(src)
    assert served.content_type == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(served.body))
    assert image.size == (256, 256)
    assert not image.getexif() and "comment" not in image.info
    assert b"SecretCameraMaker" not in served.body and b"where I live" not in served.body


def test_a_new_picture_replaces_the_old_files_and_removing_goes_back_to_initials(
        login, make_member, dbsession, avatar_dir):
    camille = make_member("camille", display_name="Camille Martin")
    browser = login(camille)
    upload(browser, "camille", image_bytes(kind="PNG"), "a.png")
    first = dbsession.get(Profile, camille.id).avatar
    upload(browser, "camille", image_bytes(kind="GIF", exif=False), "b.gif")
    dbsession.expire_all()
    second = dbsession.get(Profile, camille.id).avatar
    assert second != first and files_of(avatar_dir, first) == []
    form = browser.get("/members/camille/edit").forms["avatar-form"]
    form.submit("remove").follow()
    dbsession.expire_all()
    assert dbsession.get(Profile, camille.id).avatar is None
    assert files_of(avatar_dir, second) == []
    assert browser.get("/members/camille").html.select_one("svg.avatar text").text == "CM"


@pytest.mark.parametrize("data, message", [
    (b"<?php echo 'hi'; ?>", "This file is not an image we can read"),
    (image_bytes(size=(2500, 2500), exif=False), "This image has too many pixels"),
    (os.urandom(400_000), "This image is too large; send one under 0.3 MB."),
    (image_bytes(kind="TIFF", size=(60, 60), exif=False), "Send a JPEG, PNG, GIF or WebP image."),
])
def test_refused_uploads_say_why(login, make_member, dbsession, data, message):
    camille = make_member("camille")
    response = upload(login(camille), "camille", data, "x.png")
    assert response.status_int == 400
    assert message in response.html.select_one("#image-error").text
    assert dbsession.get(Profile, camille.id).avatar is None


def test_avatar_file_names_are_checked(testapp):
    testapp.get("/avatars/..%2F..%2Fetc%2Fpasswd", status=404)
    testapp.get("/avatars/" + "a" * 22 + "-256.jpg", status=404)
    testapp.get("/avatars/whatever.svg", status=404)


def test_erase_removes_values_profile_and_files(login, make_member, dbsession, avatar_dir,
                                                plugin_request, make_field, answer):
    camille = make_member("camille")
    answer(camille, make_field("City", "city"), "Lyon")
    upload(login(camille), "camille", image_bytes())
    token = dbsession.get(Profile, camille.id).avatar
    request = plugin_request()
    (provider,) = [p for p in registered(request.registry, "cortege personal data providers")
                   if p.name == "profiles"]
    exported = provider.export(request, camille)
    assert exported["fields"][0]["value"] == "Lyon"
    assert exported["avatar"]["file"] == f"{token}-256.jpg" and exported["avatar"]["base64"]
    provider.erase(request, camille)
    request.dbsession.flush()
    dbsession.expire_all()
    assert dbsession.get(Profile, camille.id) is None
    assert files_of(avatar_dir, token) == []
    assert provider.export(request, camille) == {"fields": [], "avatar": None,
                                                 "last_active_at": None}
