"""Request-scoped memory for the permission policy (``permissions.remembered_for_request``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from satupintu.accounts.permissions import remembered_for_request


class PermissionMemoryMiddleware:
    """Answer each permission question once per request: the page's many checks share one read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with remembered_for_request():
            return self.get_response(request)
