"""Exceptions services raise that pages and the API both translate."""


class Conflict(Exception):
    """The request is valid but the record's state does not allow it (HTTP 409).

    For example: editing a published assessment, or signing off one that is already signed off.
    """

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
