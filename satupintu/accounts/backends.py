"""Sign in with an e-mail address or a mobile number as well as the username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from satupintu.accounts.models import User
from satupintu.core.validators import normalise_phone


def user_for_identifier(identifier: str) -> User | None:
    """The one user whose e-mail (any case) or phone (``08…``, ``+62…``) is ``identifier``; else None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        users = User.objects.filter(email__iexact=identifier)
    else:
        try:
            users = User.objects.filter(phone=normalise_phone(identifier))
        except ValidationError:
            return None
    found = list(users[:2])
    # Two accounts sharing an address (officers created by an admin) sign in by username only.
    return found[0] if len(found) == 1 else None


class EmailOrPhoneBackend(ModelBackend):
    """
    Authenticate by e-mail or phone number; used after ModelBackend, which handles usernames.

    Inactive users are refused as ModelBackend refuses them. An unknown identifier still costs one
    password hash, so the response time does not tell whether an account exists.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
