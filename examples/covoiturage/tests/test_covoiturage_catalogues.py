"""The English and French catalogues hold every message of the source, translated."""

from pathlib import Path

from core.i18n_catalogs import Domain, problems

PACKAGE = Path(__file__).resolve().parents[1] / "covoiturage"


def test_catalogues_are_complete_and_fresh():
    assert problems(Domain("covoiturage", (PACKAGE,), PACKAGE / "locale"), ("en", "fr")) == []
