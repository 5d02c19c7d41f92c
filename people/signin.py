"""Single sign-on sign-in with group mapping: allauth's social account adapter (core.signin's, which
opens no self sign-up) taught to create or update a person whose groups claim maps to a role and
force, and to turn everyone else away with "You do not have access yet" and an access request.

It lives here, not in core.signin, because the mapping is the people app's (core never imports it).
"""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from django.shortcuts import render

from core.signin import SocialAccountAdapter
from people import sso


class SsoSocialAccountAdapter(SocialAccountAdapter):
    """After allauth has matched the sign-in to an account (by the provider's subject, or by a
    verified e-mail address): a mapped group gives an existing person its role and force, or creates
    the person; an unknown person with no mapped group is recorded as an access request and sees the
    no-access page. The ID token's signature was checked before any of this (SignedIDTokenAdapter)."""

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        claims = sso.claims_of(sociallogin)
        mapping = sso.mapping_for(sso.groups_of(claims))
        account = sociallogin.account
        if sociallogin.is_existing:
            if mapping is not None and sociallogin.user.is_active:
                sso.sso_person_update(person=sociallogin.user, mapping=mapping)
            sso.pending_resolve(provider=account.provider, uid=account.uid, email=sociallogin.user.email)
            return
        person = sso.sso_person_provision(claims=claims, mapping=mapping) if mapping is not None else None
        if person is not None:
            sociallogin.connect(request, person)
            sso.pending_resolve(provider=account.provider, uid=account.uid, email=person.email)
            return
        sso.pending_record(provider=account.provider, uid=account.uid, claims=claims)
        raise ImmediateHttpResponse(render(request, "account/signup_closed.html", {"sso_pending": True}, status=403))
