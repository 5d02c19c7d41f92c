"""Views with no SPR rules in them: the health check, a person's sessions, the keep-alive, the
error pages and a person's API tokens."""

from __future__ import annotations

import hmac
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import error_response
from core.forms import ApiTokenForm
from core.health import antivirus_state, broker_state, database_state, worker_state
from core.middleware import DATABASE_UNAVAILABLE
from core.roles import Role, has_role
from core.tokens import token_create, token_revoke, tokens_of
from core.user_sessions import describe_device, idle_seconds, touch, user_sessions_active, user_sessions_end


def _may_see_health_details(request) -> bool:
    """A signed-in national administrator, or a monitor sending `Authorization: Bearer <SPR_HEALTH_TOKEN>`
    (compared in constant time; no token configured means no monitor access)."""
    token = getattr(settings, "SPR_HEALTH_TOKEN", "")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and has_role(user, Role.NATIONAL_ADMIN))


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers, 503 when it does not. Anyone sees the status; only a national
    administrator or a monitor with the health token sees the details (database, broker, worker,
    virus scanner), which name software and hosts an attacker should not learn."""
    database = database_state()
    healthy = database["status"] == "up"
    body = {"status": "ok" if healthy else "unavailable"}
    if _may_see_health_details(request):
        body.update(
            database=database,
            broker=broker_state(),
            worker=worker_state() if healthy else {"status": "unknown"},
            antivirus=antivirus_state(),
        )
    return JsonResponse(body, status=200 if healthy else 503)


# A person's sessions -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_sessions(request):
    """Where you are signed in: every active session of the signed-in person (device, sign-in time,
    last activity), with "sign out of all other sessions" and "sign out everywhere". Only ever the
    person's own sessions: there is no id in the URL to ask for anyone else's."""
    current = request.session.session_key
    if request.method == "POST":
        scope = request.POST.get("scope")
        if scope == "others":
            ended = user_sessions_end(user=request.user, keep_session_key=current)
            messages.success(
                request,
                ngettext(
                    "You signed out of %(count)d other session.", "You signed out of %(count)d other sessions.", ended
                )
                % {"count": ended},
            )
            return redirect("account-sessions")
        if scope == "all":
            user_sessions_end(user=request.user)
            logout(request)
            messages.success(request, _("You signed out everywhere, including on this device."))
            return redirect(settings.LOGIN_URL)
        messages.error(request, _("Choose which sessions to sign out of"))
        return redirect("account-sessions")
    sessions = [
        {
            "device": describe_device(row.user_agent),
            "signed_in_at": row.signed_in_at,
            "last_seen_at": row.last_seen_at,
            "current": row.session_key == current,
        }
        for row in user_sessions_active(user=request.user)
    ]
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions,
            "others": sum(1 for item in sessions if not item["current"]),
            "idle_minutes": settings.SPR_SESSION_IDLE_MINUTES,
        },
    )


@never_cache
@login_required
@require_POST
def keep_alive(request):
    """The timeout warning's "stay signed in": records activity on the session and answers how long it
    may now stay idle. A session that has already ended is sent to sign in, as every page is (the
    script then reloads the page, which shows the sign-in page with the reason)."""
    touch(request)
    return JsonResponse({"idle_seconds": idle_seconds()})


# Error pages (spr/urls.py names them as Django's handlers) ---------------------------------------------


@requires_csrf_token
def bad_request(request, exception=None):
    return error_response(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_response(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_response(request, 404)


@requires_csrf_token
def server_error(request):
    # Called inside Django's `except`: a database that cannot be reached, wherever in the request it
    # was found (a middleware loading the session, say), is a 503 to try again, not a fault.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return error_response(request, 503)
    return error_response(request, 500)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was stale or came from elsewhere. The reason is logged by Django,
    never shown."""
    return error_response(request, 403, template="errors/csrf.html")


@login_required
def token_list(request):
    """The person's own API tokens, and the form that makes one. A new token is shown on the answer
    to the POST, once; it cannot be seen again."""
    new = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = token_create(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": tokens_of(request.user), "form": form, "new": new, "now": timezone.now()},
    )


@login_required
def token_revoke_page(request, pk: int):
    """Confirm, then revoke, one of the person's own tokens. Anyone else's token is not found."""
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    if request.method == "POST":
        token_revoke(token=token, user=request.user)
        messages.success(request, _("Token “%(name)s” revoked") % {"name": token.name})
        return redirect("account:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


def apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)
