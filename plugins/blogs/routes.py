"""What the blogs plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.extensions import plugin_enabled
from plugins.blogs import _
from plugins.blogs.services import FETCH_TASK
from plugins.blogs.views import (
    blog_tab,
    blogs,
    fetch_due,
    fetch_one,
    has_blog_tab,
    is_bloggers_group,
    planet_tab,
)


def includeme(config):
    from plugins.blogs import seed

    config.add_route("blogs_add", "/blogs/add")
    config.add_route("blogs_change", r"/blogs/{id:\d+}/{action}", ids="id")
    config.add_route("blogs_planet_atom", r"/blogs/planet/{id:\d+}.atom", ids="id")
    config.add_route("blogs_planet_opml", r"/blogs/planet/{id:\d+}.opml", ids="id")
    config.add_route("blogs_planet_exclude", r"/blogs/planet/{id:\d+}/exclude", ids="id")
    config.add_profile_tab("blog", _("Blog"), blog_tab, "blogs/profile_tab.jinja2", order=45,
                           visible=has_blog_tab)
    if plugin_enabled(config.registry, "groups"):
        config.add_group_tab("planet", _("Planet"), planet_tab, order=30,
                             renderer="blogs/planet.jinja2", visible=is_bloggers_group)
    config.add_periodic_task("blogs.fetch_due", fetch_due, minute="*/5")
    config.add_job_task(FETCH_TASK, fetch_one)
    config.add_personal_data_provider("blogs", export=lambda request, user: blogs(request)
                                      .export(user),
                                      erase=lambda request, user: blogs(request).erase(user))
    if plugin_enabled(config.registry, "groups"):
        config.include(seed)
    config.scan(".views")
