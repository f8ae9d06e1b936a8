"""Logins end after SESSION_COOKIE_AGE seconds without a request.

Django's SESSION_SAVE_EVERY_REQUEST would get there with a database write on every request;
renewing the expiry at most every RENEW_EVERY seconds costs one write in that time instead,
and the idle limit holds to within those seconds.
"""

import time

RENEWED = "renewed_at"  # session key: when the expiry was last pushed back
RENEW_EVERY = 300


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only a session that exists (a login): an anonymous visit creates none.
        if session.session_key and time.time() - session.get(RENEWED, 0) > RENEW_EVERY:
            session[RENEWED] = time.time()  # modified: saved with a new expiry date
        return self.get_response(request)


def mark_renewed(sender, request, user, **kwargs):
    """A login saves the session anyway: the next minutes' requests need not."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED] = time.time()
