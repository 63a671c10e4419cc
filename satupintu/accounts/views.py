from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from satupintu.accounts.forms import ThrottledLoginForm
from satupintu.accounts.permissions import Action, can, offices_for

#: Where an officer lands after signing in (the URL name of the staff home).
STAFF_HOME = "staff:home"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Officers land on the staff home; applicants on the portal (a ``next`` link still wins)."""
        user = self.request.user
        if any(can(user, Action.VIEW_STAFF_PAGES, office) for office in offices_for(user)):
            return resolve_url(STAFF_HOME)
        return resolve_url(settings.LOGIN_REDIRECT_URL)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"
