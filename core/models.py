"""Imports every core model, so that the MetaData knows the core's tables."""

from core.accounts.models import AccountToken, User, UserSession  # noqa: F401
from core.events import StoredEvent  # noqa: F401
from core.jobs import Job  # noqa: F401
from core.sitesettings import SiteSetting  # noqa: F401
