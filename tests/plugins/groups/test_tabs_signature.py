"""The groups' and the profiles' tab directives take the same arguments, in the same order."""

import inspect

from plugins.groups.tabs import add_group_tab
from plugins.profiles.tabs import add_profile_tab


def test_one_signature_for_tabs():
    group = inspect.signature(add_group_tab).parameters
    profile = inspect.signature(add_profile_tab).parameters
    assert [(p.name, p.default) for p in group.values()] == [
        (p.name, p.default) for p in profile.values()]
    assert list(group) == ["config", "name", "title", "view", "renderer", "order", "permission",
                           "visible"]


def _public_only_tab(config):
    config.add_group_tab("leaflets", "Leaflets",
                         lambda request, group: '<p class="leaflets">Leaflets</p>',
                         visible=lambda request, group: group.status == "public")


def test_a_tab_is_listed_and_answers_only_where_visible_says(cortege_settings, cortege_engine,
                                                            connection, make_group, make_user,
                                                            add_member):
    import webtest

    from tests.plugins.apps import app_including

    app = app_including(cortege_settings, cortege_engine, _public_only_tab)
    member = make_user()
    public, private = make_group(status="public"), make_group(status="private")
    add_member(private, member)
    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost",
                                                  "cortege.test_connection": connection})
    from core.testing import log_in_with

    browser = log_in_with(browser, member)
    page = browser.get(f"/groups/{public.slug}")
    assert any(a["href"].endswith("/leaflets") for a in page.html.select("a[href]"))
    assert browser.get(f"/groups/{public.slug}/leaflets").html.select_one(".leaflets")
    page = browser.get(f"/groups/{private.slug}")
    assert not any(a["href"].endswith("/leaflets") for a in page.html.select("a[href]"))
    browser.get(f"/groups/{private.slug}/leaflets", status=404)
