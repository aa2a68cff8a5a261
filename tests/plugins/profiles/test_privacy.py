"""What a viewer may not see never reaches them: the whole viewer x visibility matrix, on the
profile page, directory search, filters, sorting, counts, cards and the personal-data export."""

import pytest

from core.extensions import registered
from plugins.profiles.models import MEMBERS, PRIVATE, PUBLIC

VIEWERS = ("stranger", "member", "owner", "admin")
SEES = {
    "stranger": {PUBLIC},
    "member": {PUBLIC, MEMBERS},
    "owner": {PUBLIC, MEMBERS, PRIVATE},
    "admin": {PUBLIC, MEMBERS, PRIVATE},
}
WORDS = {PUBLIC: "Sunflower", MEMBERS: "Riverbank", PRIVATE: "Nightingale"}
CHOICES = {PUBLIC: "Alpha", MEMBERS: "Beta", PRIVATE: "Gamma"}


@pytest.fixture
def world(make_member, make_field, answer, login, testapp):
    """Owner "dominique" answered one text, one choice and one city per visibility; a second
    member "bystander" answered nothing; the fields are also shown on directory cards."""
    owner = make_member("dominique", display_name="Dominique Owner")
    other = make_member("bystander", display_name="Bystander Other")
    admin = make_member("boss", display_name="Zed Admin", role="admin")
    fields = {}
    for level in (PUBLIC, MEMBERS, PRIVATE):
        text = make_field(f"Motto {level}", "text", default_visibility=PRIVATE,
                          in_directory=True)
        choice = make_field(f"Choice {level}", "choice", options=[*CHOICES.values(), "Unused"],
                            default_visibility=PRIVATE, in_directory=True)
        city = make_field(f"City {level}", "city", default_visibility=PRIVATE)
        answer(owner, text, f"{WORDS[level]} motto", visibility=level)
        answer(owner, choice, CHOICES[level], visibility=level)
        answer(owner, city, f"{WORDS[level]}ville", visibility=level)
        fields[level] = {"text": text, "choice": choice, "city": city}
    people = {"member": other, "owner": owner, "admin": admin}

    def browser(viewer):
        return testapp if viewer == "stranger" else login(people[viewer])

    return {"owner": owner, "fields": fields, "browser": browser}


def names_listed(page):
    return {a.text for a in page.html.select(".directory__name")}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile_page(world, viewer):
    page = world["browser"](viewer).get("/members/dominique")
    for level, word in WORDS.items():
        assert (word in page.text) == (level in SEES[viewer]), (viewer, level)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_directory_search_and_count(world, viewer):
    browser = world["browser"](viewer)
    for level, word in WORDS.items():
        page = browser.get("/members", {"q": word.lower()})
        found = "Dominique Owner" in names_listed(page)
        assert found == (level in SEES[viewer]), (viewer, level)
        count = page.html.select_one(".directory__count").text
        assert count == ("1 member found" if found else "0 members found")
        assert (word not in page.text) or found  # the word itself only where it may be seen


@pytest.mark.parametrize("viewer", VIEWERS)
def test_directory_filters(world, viewer):
    browser = world["browser"](viewer)
    for level, word in WORDS.items():
        choice = world["fields"][level]["choice"]
        city = world["fields"][level]["city"]
        for field, value in ((choice, CHOICES[level]), (city, f"{word.upper()}VILLE")):
            page = browser.get("/members", {f"f{field.id}": value})
            found = "Dominique Owner" in names_listed(page)
            assert found == (level in SEES[viewer]), (viewer, level, field.name)
            assert page.html.select_one(".directory__count").text == (
                "1 member found" if found else "0 members found")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_directory_cards(world, viewer):
    page = world["browser"](viewer).get("/members")
    assert {"Dominique Owner", "Bystander Other", "Zed Admin"} <= names_listed(page)
    for level, word in WORDS.items():
        assert (f"{word} motto" in page.text) == (level in SEES[viewer]), (viewer, level)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("sort", ["name", "newest", "active"])
def test_sorting_changes_order_only(world, viewer, sort):
    browser = world["browser"](viewer)
    page = browser.get("/members", {"sort": sort})
    assert names_listed(page) >= {"Dominique Owner", "Bystander Other", "Zed Admin"}
    options = [o["value"] for o in page.html.select("#sort option")]
    # When members were last active is not told to strangers.
    assert ("active" in options) == (viewer != "stranger")
    for level, word in WORDS.items():
        assert (f"{word} motto" in page.text) == (level in SEES[viewer])


def test_unknown_or_forged_filters_and_cursors_say_nothing(world):
    stranger = world["browser"]("stranger")
    hidden = world["fields"][PRIVATE]["choice"]
    for params in ({f"f{hidden.id}": "Not an option"}, {"f99999": "x"},
                   {"after": "!!not-a-cursor"}, {"sort": "active", "after": "eyJ4Ijoy"},
                   {"q": "%"}, {"q": "_"}):
        page = stranger.get("/members", params)
        assert page.status_int == 200
        assert "Nightingale" not in page.text and "Riverbank" not in page.text


def test_export_holds_only_the_members_own_data(world, plugin_request, make_member):
    (provider,) = [p for p in registered(plugin_request().registry,
                                         "cortege personal data providers")
                   if p.name == "profiles"]
    request = plugin_request()
    owned = provider.export(request, world["owner"])
    exported = {item["value"] for item in owned["fields"]}
    assert {"Sunflower motto", "Riverbank motto", "Nightingale motto"} <= exported
    assert {item["visibility"] for item in owned["fields"]} == {PUBLIC, MEMBERS, PRIVATE}
    someone = make_member("someone")
    assert provider.export(request, someone)["fields"] == []
