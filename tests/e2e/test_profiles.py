"""Profiles: an admin adds a field, a member fills it in and sends a picture."""

from __future__ import annotations

import io
import secrets

from PIL import Image
from playwright.sync_api import expect

PLUGINS = ("profiles",)


def _picture() -> dict:
    image = Image.new("RGB", (240, 180), (196, 30, 58))
    image.paste((255, 255, 255), (60, 45, 180, 135))
    data = io.BytesIO()
    image.save(data, "PNG")
    return {"name": "me.png", "mimeType": "image/png", "buffer": data.getvalue()}


def test_a_member_fills_a_field_an_admin_added_and_sends_a_picture(page, visit, make_member,
                                                                   log_in, other_visitor):
    suffix = secrets.token_hex(3)
    admin = make_member(role="admin")
    log_in(admin)
    page.goto("/admin/profiles")
    visit.check("fields")
    groups = page.locator("#group-form")
    groups.get_by_label("Name").fill(f"Whereabouts {suffix}")
    groups.get_by_role("button", name="Add the group").click()
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=f"Whereabouts {suffix}"))
    expect(section).to_be_visible()
    visit.check("group-added")
    section.get_by_role("link", name="Add a field").click()
    page.wait_for_url("**/admin/profiles/fields/new*")
    visit.check("new-field")
    form = page.locator("#field-form")
    form.get_by_label("Label").fill(f"Home town {suffix}")
    form.get_by_label("Help text").fill("Where you campaign.")
    form.get_by_role("button", name="Save").click()
    expect(section.get_by_role("row").filter(has_text=f"Home town {suffix}")).to_be_visible()
    visit.check("field-added")

    member = make_member(name="Camille Profile")
    person = other_visitor("member")
    log_in(member, checks=person)
    them = person.page
    them.get_by_role("link", name="My profile").click()
    them.wait_for_url(f"**/members/{member}")
    person.check("profile")
    them.get_by_role("link", name="Edit the profile").click()
    them.wait_for_url(f"**/members/{member}/edit")
    person.check("edit")

    them.locator("#avatar-form input[type=file]").set_input_files(_picture())
    them.get_by_role("button", name="Send the picture").click()
    expect(them.get_by_role("status")).to_have_text("The picture is saved.")
    picture = them.locator(".profile-edit__avatar img")
    expect(picture).to_be_visible()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("img => img.naturalWidth") > 0
    person.check("picture-saved")

    them.get_by_label(f"Home town {suffix}", exact=True).fill("Saint-Nazaire")
    them.locator("#profile-form").get_by_role("button", name="Save").click()
    them.wait_for_url(f"**/members/{member}")
    expect(them.get_by_role("status")).to_have_text("The profile is saved.")
    town = them.locator(".profile__field").filter(has_text=f"Home town {suffix}")
    expect(town.locator("dd")).to_have_text("Saint-Nazaire")
    header_picture = them.locator(".profile__header img")
    expect(header_picture).to_have_js_property("complete", True)
    assert header_picture.evaluate("img => img.naturalWidth") > 0
    person.check("profile-filled")

    page.goto(f"/members/{member}")
    expect(page.locator(".profile__field").filter(has_text=f"Home town {suffix}")).to_contain_text(
        "Saint-Nazaire")
    visit.check("seen-by-admin")
