"""The login page: one for everyone, staff and team leads alike.

Where a user lands is named by URL (`lead-home`) and permission, so this lowest app imports
none of the pages above it.
"""

from django.contrib.auth import views as auth_views
from django.urls import reverse


def home_url(user) -> str:
    """Where a user lands after login: staff on the home page, a team lead on their batches."""
    return "/" if user.has_perm("cohorts.view_all_batches") else reverse("lead-home")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url(self.request.user)
