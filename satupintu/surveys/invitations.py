"""
Survey invitations: a signed token per collected application, answered once.

The token is made with ``django.core.signing`` (salt below) from the application's id; the
survey link in the invitation notice carries it. What is kept when it is answered is an HMAC
digest of the application id (``InvitationUse``), written apart from the answer, so an
invitation answers once (a re-sent link too) and no answer names its application.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from satupintu.applications.models import Application, Status
from satupintu.core.errors import NotFound

#: Shared with ``notifications.services.survey_link`` (which makes the token in the notice).
TOKEN_SALT = "satupintu.surveys.invitation"
#: An invitation is good for a year after it was made: the survey is held at least yearly.
TOKEN_MAX_AGE = dt.timedelta(days=366)


def invitation_token(application: Application) -> str:
    """The invitation token for a collected application (URL-safe)."""
    return signing.dumps(application.pk, salt=TOKEN_SALT)


def invitation_digest(application_id: Any) -> str:
    return salted_hmac(TOKEN_SALT + ".use", str(application_id), algorithm="sha256").hexdigest()


def invitation_application(token: str) -> Application:
    """
    The application a token invites for; NotFound (Indonesian message) for a wrong or stale token,
    or when the product has not been received yet.
    """
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise NotFound(
            _(
                "Tautan survei ini sudah kedaluwarsa: undangan berlaku %(days)s hari sejak surat izin diterima. "
                "Terima kasih atas perhatian Anda."
            )
            % {"days": TOKEN_MAX_AGE.days},
            code="invitation_expired",
        ) from None
    except signing.BadSignature:
        raise NotFound(_("Tautan survei tidak sah atau sudah kedaluwarsa.")) from None
    application = Application.objects.select_related("office", "service").filter(pk=pk).first()
    if application is None or application.status != Status.COLLECTED:
        raise NotFound(_("Tautan survei tidak sah atau sudah kedaluwarsa."))
    return application


def invitation_used(application: Application) -> bool:
    """Whether the invitation of this application has been answered already."""
    from satupintu.surveys.models import InvitationUse

    return InvitationUse.objects.filter(digest=invitation_digest(application.pk)).exists()
