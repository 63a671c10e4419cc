"""Domain errors shared by every app; interfaces turn them into messages and HTTP statuses."""


class DomainError(Exception):
    """A rule of the domain refused the request. ``code`` is stable; ``message`` is for people."""

    code = "domain_error"
    http_status = 422

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermissionDenied(DomainError):
    """The user may not do this in this office now."""

    code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    """The state moved on under the request (e.g. the step was completed by someone else)."""

    code = "conflict"
    http_status = 409


class InvalidData(DomainError):
    """Submitted data is not valid; ``errors`` maps field keys to Indonesian messages."""

    code = "invalid_data"
    http_status = 422

    def __init__(self, message: str, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.errors = errors
