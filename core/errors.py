"""Errors that stop the site from starting."""


class StartupError(SystemExit):
    """A deployer's mistake found at start-up.

    It is a ``SystemExit`` so that ``pserve`` and the ``cortege`` command print the one
    sentence that explains it and exit with status 1, instead of a traceback.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
