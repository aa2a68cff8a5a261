"""Blogs: members list the blogs they write elsewhere; the site fetches their feeds, shows
their entries on the member's profile (a Blog tab) and gathers them, for groups of the
bloggers' type, on the group's planet (a page, an Atom feed and an OPML list of its feeds).

A blog is given as its site's address or its feed's: the site discovers the feed
(``<link rel="alternate">``) and checks it. Feeds are fetched in jobs (``blogs.fetch_due``,
every five minutes, hands out the feeds whose time has come, a few per site at once), with
conditional requests, a backoff per feed on errors, timeouts, a size cap, few redirects, and
never to a private, loopback or link-local address (``plugins.blogs.fetch``). Entries are
parsed with feedparser and sanitised with nh3.

Entries are the outside world's public writing; what is private is the link between a member
and their blog, shown according to the level the member chose (public, members, only me):
their Blog tab, the planets and the names beside entries follow it. A planet is seen by
whoever may see its group's content; the group's admins may leave a blog or an entry out.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aslist, aspositiveint

_ = TranslationStringFactory("blogs")


plugin = Plugin(
    name="blogs",
    package=__name__,
    title=_("Blogs"),
    description=_("Members' blogs on their profiles, and planets for bloggers' groups."),
    version="1.0",
    requires=("profiles",),
    optional=("groups",),
    migrations="plugins.blogs:migrations",
    settings={
        "group_type": Setting("bloggers", str, "The key of the group type whose groups have a "
                              "planet."),
        "interval_minutes": Setting(60, aspositiveint, "Minutes between two fetches of a feed."),
        "max_backoff_hours": Setting(24, aspositiveint,
                                     "Longest wait after repeated errors of a feed."),
        "timeout": Setting(10, aspositiveint, "Seconds a feed's site has to answer each read."),
        "max_bytes": Setting(2_000_000, aspositiveint, "Largest feed fetched, in bytes."),
        "max_redirects": Setting(3, aspositiveint, "Most redirects followed."),
        "per_site": Setting(2, aspositiveint, "Most feeds of one site fetched at once."),
        "batch": Setting(200, aspositiveint, "Most feeds handed out every five minutes."),
        "allowed_private": Setting([], aslist,
                                   "Private addresses (ip:port) the fetcher may reach anyway; "
                                   "empty in production."),
        "blogs_per_member": Setting(5, aspositiveint, "Most blogs one member may list."),
    },
    includeme="plugins.blogs.routes:includeme",
)
