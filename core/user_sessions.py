"""Session limits and the list of a person's sessions.

- An idle timeout (SPR_SESSION_IDLE_MINUTES, default 30) and an absolute lifetime
  (SPR_SESSION_MAX_HOURS, default 12), enforced on the server on every request by
  `SessionLimitsMiddleware`: a session past either is signed out and the person is sent to sign in
  with a message saying why. The GOV.UK timeout warning (static/js/timeout-warning.js) only warns
  and offers to stay signed in; without JavaScript the server rule applies all the same.
- A `UserSession` row per signed-in session (device, sign-in time, last activity), so a person can
  see their sessions and end the others or all ("sign out everywhere").
- A password change ends every other session of that person (the one that changed it stays).

Activity is written at most once a minute (TOUCH_INTERVAL), so an ordinary page costs no extra query;
the idle rule is therefore exact to within that minute.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import is_api
from core.models import UserSession

SIGNED_IN_AT = "spr_signed_in_at"
LAST_SEEN = "spr_last_seen"
#: Seconds between two writes of a session's last activity.
TOUCH_INTERVAL = 60

_current_request: contextvars.ContextVar = contextvars.ContextVar("spr_session_request", default=None)


def idle_seconds() -> int:
    return int(settings.SPR_SESSION_IDLE_MINUTES * 60)


def max_seconds() -> int:
    return int(settings.SPR_SESSION_MAX_HOURS * 60 * 60)


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _aware(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


# --- Services -----------------------------------------------------------------------------------------


def user_sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every session of `user` known to the service except `keep_session_key` (None: all of them),
    whatever device they are on: the session is deleted from the session store, so its next request
    is anonymous. Returns how many were ended."""
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def user_sessions_active(*, user) -> list[UserSession]:
    """The person's sessions that are still within the idle and absolute limits, most recently active
    first. Rows of sessions that ran out (a browser closed without signing out) are removed."""
    now = timezone.now()
    idle_cutoff = now - dt.timedelta(seconds=idle_seconds())
    max_cutoff = now - dt.timedelta(seconds=max_seconds())
    stale = UserSession.objects.filter(user=user).filter(last_seen_at__lt=idle_cutoff) | UserSession.objects.filter(
        user=user, signed_in_at__lt=max_cutoff
    )
    stale.delete()
    return list(UserSession.objects.filter(user=user).order_by("-last_seen_at", "-id"))


# --- Signals ------------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="spr-user-session-start")
def _session_started(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": _address(request),
            "signed_in_at": _aware(now),
            "last_seen_at": _aware(now),
        },
    )


@receiver(user_logged_out, dispatch_uid="spr-user-session-end")
def _session_ended(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(post_save, sender=get_user_model(), dispatch_uid="spr-password-change-ends-sessions")
def _password_changed(sender, instance, created, raw=False, **kwargs):
    # set_password() leaves the new password in `_password` until save() has finished: a changed
    # password, however it was changed (the person, an administrator, a management command).
    if created or raw or getattr(instance, "_password", None) is None:
        return
    request = _current_request.get()
    keep = None
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == instance.pk:
        keep = request.session.session_key
    user_sessions_end(user=instance, keep_session_key=keep)


def _address(request) -> str | None:
    address = request.META.get("REMOTE_ADDR", "")
    return address or None


# --- Middleware ---------------------------------------------------------------------------------------


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. Signs out a session idle for longer than
    SPR_SESSION_IDLE_MINUTES or older than SPR_SESSION_MAX_HOURS before the view runs: a page request
    is sent to sign in with a message, an API request goes on as anonymous (and is refused as such).
    Records activity at most once a minute; URLs named in SPR_SESSION_PASSIVE_URLS (a status panel
    that polls) are not activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            expired = self._enforce(request)
            if expired is not None:
                return expired
            key_before = request.session.session_key if request.user.is_authenticated else None
            response = self.get_response(request)
            key_after = getattr(request, "session", None) and request.session.session_key
            if key_before and key_after and key_after != key_before:
                # The key was cycled (a password change keeps this session under a new key).
                UserSession.objects.filter(session_key=key_before).update(session_key=key_after)
            return response
        finally:
            _current_request.reset(token)

    def _enforce(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            # A session from before these limits: it starts counting now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN] = now
            return None
        if now - signed_in_at > max_seconds():
            return self._sign_out(request, idle=False)
        if now - last_seen > idle_seconds():
            return self._sign_out(request, idle=True)
        if now - last_seen >= TOUCH_INTERVAL and not _is_passive(request):
            touch(request, now=now)
        return None

    def _sign_out(self, request, *, idle: bool):
        logout(request)
        if is_api(request):
            return None
        if idle:
            text = _("You were signed out because you were inactive for %(minutes)s minutes.") % {
                "minutes": settings.SPR_SESSION_IDLE_MINUTES
            }
        else:
            hours = settings.SPR_SESSION_MAX_HOURS
            text = ngettext(
                "You were signed out because you had been signed in for %(hours)s hour.",
                "You were signed out because you had been signed in for %(hours)s hours.",
                hours,
            ) % {"hours": hours}
        messages.info(request, text)
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return redirect_to_login(next_url)


def touch(request, *, now: float | None = None) -> None:
    """Record activity on the request's session now (the keep-alive endpoint calls this directly)."""
    now = now or time.time()
    request.session[LAST_SEEN] = now
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=_aware(now))


def _is_passive(request) -> bool:
    passive = getattr(settings, "SPR_SESSION_PASSIVE_URLS", ())
    if not passive:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in passive


# --- Describing a session to its owner ----------------------------------------------------------------

_BROWSERS = [
    (re.compile(r"Edg(?:e|A|iOS)?/"), "Microsoft Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]
_SYSTEMS = [
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
]


def describe_device(user_agent: str) -> str:
    """'Firefox on Windows', from a browser's User-Agent; 'Unknown browser' when it names none we know
    (an API client, a script)."""
    browser = next((name for pattern, name in _BROWSERS if pattern.search(user_agent or "")), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent or "")), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
