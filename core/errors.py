"""Errors: those that stop the site from starting, and those a member's action meets."""

from pyramid.exceptions import ConfigurationError


class StartupError(ConfigurationError):
    """A deployer's or a plugin author's mistake found at start-up, in one sentence.

    It is a Pyramid ``ConfigurationError``: whoever builds the application (a WSGI server, a
    test, a script) can catch it like any other configuration error. The ``cortege`` command
    prints the sentence alone and exits with status 1.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ActionError(Exception):
    """An action refused by a service, with a sentence the member can act on.

    Services raise it (or a subclass) whoever calls them: a view, a job, a command, the API.
    ``message`` is a translation string; ``status`` the HTTP status the error views answer
    with; ``field`` names the form field at fault, when there is one.
    """

    status = 400

    def __init__(self, message, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(ActionError):
    """What the member asked for does not exist, or they may not know it does."""

    status = 404


class Forbidden(ActionError):
    """The member may see the thing but not do this to it."""

    status = 403


class Conflict(ActionError):
    """The thing changed in a way that stops the action (full, closed, already done)."""

    status = 409


class RateLimited(ActionError):
    """Too many attempts; try again later."""

    status = 429
