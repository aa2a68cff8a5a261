"""French in two registers: the site says "vous" or "tu" (``cortege.french_register``), and
members choose when the site lets them (``cortege.french_register_choice``); pages and mail
alike. The catalogue check keeps both registers in step."""

from __future__ import annotations

import re

import pytest
from pyramid.interfaces import ITranslationDirectories
from pyramid.registry import Registry

from core.i18n import make_localizer
from core.i18n_catalogs import Domain, compile_domain, problems, update

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
VOUS = "Indiquez l'adresse de votre compte"
TU = "Indique l'adresse de ton compte"


def forgot_page(browser):
    return browser.get("/password/forgot", headers=FRENCH)


def ask_reset(testapp, email):
    form = forgot_page(testapp).forms["forgot-form"]
    form["email"] = email
    form.submit(headers=FRENCH)


def test_the_site_says_vous_by_default(testapp):
    page = forgot_page(testapp)
    assert VOUS in page.text and TU not in page.text


class TestASiteThatSaysTu:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.french_register": "tu"}

    def test_pages_say_tu_and_stay_french(self, testapp):
        page = forgot_page(testapp)
        assert TU in page.text and VOUS not in page.text
        assert page.html.html["lang"] == "fr"
        assert "Mot de passe oublié" in page.text or "mot de passe" in page.text

    def test_english_is_untouched(self, testapp):
        page = testapp.get("/password/forgot", headers={"Accept-Language": "en"})
        assert "Enter the address of your account" in page.text or "address" in page.text
        assert TU not in page.text

    def test_mail_says_tu(self, make_user, testapp, outbox):
        make_user("louise", locale="fr")
        ask_reset(testapp, "louise@example.org")
        [message] = outbox
        assert "Si tu n'as rien demandé" in message.body
        assert "vous" not in message.body.lower()

    def test_members_may_not_choose_unless_the_site_lets_them(self, make_user, login):
        browser = login(make_user(locale="fr"))
        assert "french_register" not in browser.get("/account").forms["preferences-form"].fields


class TestMembersChoose:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.french_register_choice": "true"}

    def choose(self, browser, register):
        form = browser.get("/account").forms["preferences-form"]
        form["french_register"] = register
        return form.submit(status=303)

    def test_a_member_chooses_tu_and_reads_tu(self, make_user, login, testapp, dbsession):
        tutoie, vouvoie = make_user("ana", locale="fr"), make_user("ben", locale="fr")
        ana, ben = login(tutoie), login(vouvoie)
        self.choose(ana, "tu")
        dbsession.refresh(tutoie)
        assert tutoie.french_register == "tu"
        assert "Tes préférences sont enregistrées." in ana.get("/account").text
        # The home page and the account page in tu for her, in vous for him and strangers.
        assert "Ton compte" in ana.get("/account").text
        assert "Votre compte" in ben.get("/account").text
        assert VOUS in forgot_page(testapp).text
        # Back to the site's choice.
        self.choose(ana, "")
        dbsession.refresh(tutoie)
        assert tutoie.french_register is None
        assert "Votre compte" in ana.get("/account").text

    def test_mail_follows_the_recipients_choice(self, make_user, login, testapp, outbox,
                                                dbsession):
        tutoie = make_user("ana", locale="fr")
        self.choose(login(tutoie), "tu")
        make_user("ben", locale="fr")
        outbox.clear()
        ask_reset(testapp, "ana@example.org")
        ask_reset(testapp, "ben@example.org")
        to_ana, to_ben = sorted(outbox, key=lambda message: message.recipients[0])
        assert "Si tu n'as rien demandé" in to_ana.body
        assert "Si vous n'avez rien demandé" in to_ben.body

    def test_an_unknown_register_is_refused(self, make_user, login, dbsession):
        member = make_user(locale="fr")
        browser = login(member)
        form = browser.get("/account").forms["preferences-form"]
        form["french_register"].force_value("iel")
        page = form.submit(status=200)
        assert page.html.find(id="french_register-error") is not None
        dbsession.refresh(member)
        assert member.french_register is None

    def test_the_export_holds_the_choice(self, make_user, login):
        browser = login(make_user(locale="fr"))
        self.choose(browser, "tu")
        assert browser.get("/account/export.json").json["account"]["french_register"] == "tu"


def sample_domain(tmp_path, name="sample"):
    source = tmp_path / name
    source.mkdir()
    (source / "views.py").write_text('_("Hello")\n_("Sign in")\n')
    return Domain(name, (source,), source / "locale")


def fill(domain, locale, strings):
    text = domain.po(locale).read_text()
    for english, french in strings.items():
        text = text.replace(f'msgid "{english}"\nmsgstr ""', f'msgid "{english}"\nmsgstr "{french}"')
    domain.po(locale).write_text(text)


def test_the_check_fails_when_one_register_lacks_a_message(tmp_path):
    domain = sample_domain(tmp_path)
    update(domain, ["en", "fr", "fr@tu"])
    assert domain.po("fr@tu").exists()
    fill(domain, "fr", {"Hello": "Bonjour", "Sign in": "Connectez-vous"})
    fill(domain, "fr@tu", {"Hello": "Bonjour"})
    assert problems(domain, ["en", "fr"]) == [
        (f"{domain.po('fr@tu')}: 'Sign in' has no fr@tu translation (tutoiement); "
        "the other register says 'Connectez-vous'.")]
    fill(domain, "fr@tu", {"Sign in": "Connecte-toi"})
    assert problems(domain, ["en", "fr"]) == []
    # A message new in the source reaches both registers with `update`, untranslated.
    (domain.sources[0] / "views.py").write_text('_("Hello")\n_("Sign in")\n_("Vote")\n')
    update(domain, ["en", "fr"])
    assert 'msgid "Vote"' in domain.po("fr@tu").read_text()
    fill(domain, "fr@tu", {"Vote": "Vote"})
    assert problems(domain, ["en", "fr"]) == [
        f"{domain.po('fr')}: 'Vote' has no fr translation.",
        (f"{domain.po('fr')}: 'Vote' is translated in fr@tu (tutoiement) and not here; "
        "fr@tu says 'Vote'.")]


def test_a_plugin_may_ship_vous_only_and_is_read_in_vous(tmp_path):
    domain = sample_domain(tmp_path, "vousonly")
    update(domain, ["en", "fr"])
    assert not domain.po("fr@tu").exists()
    fill(domain, "fr", {"Hello": "Bonjour", "Sign in": "Connectez-vous"})
    assert problems(domain, ["en", "fr"]) == []
    compile_domain(domain, ["en", "fr"])
    registry = Registry("test")
    registry.settings = {}
    registry.registerUtility([str(domain.locale_dir)], ITranslationDirectories)
    tu = make_localizer(registry, "fr", "tu")
    assert tu.translate("Sign in", domain="vousonly") == "Connectez-vous"


def test_the_tu_overlay_wins_where_it_exists(tmp_path):
    domain = sample_domain(tmp_path, "both")
    update(domain, ["en", "fr", "fr@tu"])
    fill(domain, "fr", {"Hello": "Bonjour", "Sign in": "Connectez-vous"})
    fill(domain, "fr@tu", {"Hello": "Salut", "Sign in": "Connecte-toi"})
    compile_domain(domain, ["en", "fr"])
    registry = Registry("test")
    registry.registerUtility([str(domain.locale_dir)], ITranslationDirectories)
    assert make_localizer(registry, "fr", "tu").translate("Sign in", domain="both") == \
        "Connecte-toi"
    assert make_localizer(registry, "fr", "vous").translate("Sign in", domain="both") == \
        "Connectez-vous"
    assert make_localizer(registry, "en", "tu").translate("Sign in", domain="both") == "Sign in"


def test_every_bundled_tu_catalogue_addresses_people_with_tu():
    """No "vous" left in the tutoiement (a message may name the register itself)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    leftovers = []
    for path in [*root.glob("core/locale/fr@tu/LC_MESSAGES/*.po"),
                 *root.glob("plugins/*/locale/fr@tu/LC_MESSAGES/*.po"),
                 *root.glob("examples/*/*/locale/fr@tu/LC_MESSAGES/*.po")]:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                strings = [message.string] if isinstance(message.string, str) else \
                    list(message.string)
                for text in strings:
                    if re.search(r"\b(vous|votre|vos)\b", text or "", re.IGNORECASE) and \
                            "vouvoiement" not in text and "tu" not in text.split():
                        leftovers.append(f"{path.name}: {text}")
    assert not leftovers, "\n".join(leftovers)
