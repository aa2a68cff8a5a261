"""The one fold, and the one way to choose the language a member is written to."""

from types import SimpleNamespace

from core.mail import recipient_locale
from core.text import fold

SETTINGS = {"cortege.locales": ["en", "fr"], "pyramid.default_locale_name": "fr"}


def test_fold():
    assert fold("  Saint-Étienne   la  Ville ") == "saint-etienne la ville"
    assert fold("ŒUVRE ﬁne") == "œuvre fine"
    assert fold(None) == ""


def test_a_member_is_written_to_in_their_language_when_the_site_speaks_it():
    assert recipient_locale(SETTINGS, SimpleNamespace(locale="en")) == "en"
    assert recipient_locale(SETTINGS, SimpleNamespace(locale="de")) == "fr"  # not offered
    assert recipient_locale(SETTINGS, SimpleNamespace(locale=None)) == "fr"
