"""A small OpenID Connect provider on loopback, for the single sign-on tests.

It speaks the real protocol over HTTP: a discovery document, an authorisation endpoint that answers
with a code (the person is whoever the test says is at the keyboard), a token endpoint that checks the
client's secret, the code and its PKCE verifier and answers an RS256-signed ID token (PyJWT with
`cryptography`), a userinfo endpoint and the public keys. `tamper` makes it change a claim after
signing, as an attacker between the two would. Every claim of `person` (a `groups` or `roles` list
included, as Entra ID sends them) goes into the signed ID token and the userinfo answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "loopback-1"


class LoopbackProvider:
    def __init__(self, *, client_id: str = "spr-test"):
        self.client_id = client_id
        self.client_secret = secrets.token_urlsafe(24)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        #: The claims of whoever signs in next: set by the test.
        self.person: dict = {}
        self.tamper = False
        self.codes: dict[str, dict] = {}
        #: The query of every call to the end-session endpoint.
        self.logouts: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, claims: dict) -> str:
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})
        if not self.tamper:
            return token
        header, payload, signature = token.split(".")
        changed = {**claims, "email": "someone-else@example.police.uk"}
        forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
        return f"{header}.{forged}.{signature}"

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict, status: int = 200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    return self._json(
                        {
                            "issuer": base,
                            "authorization_endpoint": f"{base}/authorize",
                            "token_endpoint": f"{base}/token",
                            "userinfo_endpoint": f"{base}/userinfo",
                            "jwks_uri": f"{base}/jwks",
                            "end_session_endpoint": f"{base}/logout",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "token_endpoint_auth_methods_supported": ["client_secret_post"],
                            "code_challenge_methods_supported": ["S256"],
                        }
                    )
                if url.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json({"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]})
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                        return self._json({"error": "invalid_request"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {
                        "redirect_uri": query["redirect_uri"],
                        "nonce": query.get("nonce"),
                        "challenge": query.get("code_challenge"),
                        "person": dict(provider.person),
                    }
                    location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.end_headers()
                    return None
                if url.path == "/logout":
                    provider.logouts.append(query)
                    if query.get("client_id") != provider.client_id:
                        return self._json({"error": "invalid_request"}, 400)
                    self.send_response(302)
                    self.send_header("Location", query["post_logout_redirect_uri"])
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    for grant in provider.codes.values():
                        if grant.get("access_token") == token:
                            return self._json(grant["person"])
                    return self._json({"error": "invalid_token"}, 401)
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                if urlparse(self.path).path != "/token":
                    return self._json({"error": "not_found"}, 404)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if form.get("client_id") != provider.client_id or form.get("client_secret") != provider.client_secret:
                    return self._json({"error": "invalid_client"}, 401)
                grant = provider.codes.get(form.get("code", ""))
                if grant is None or "access_token" in grant or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._json({"error": "invalid_grant"}, 400)
                if grant["challenge"]:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                        return self._json({"error": "invalid_grant"}, 400)
                grant["access_token"] = secrets.token_urlsafe(16)
                now = int(time.time())
                claims = {
                    "iss": provider.issuer,
                    "aud": provider.client_id,
                    "iat": now,
                    "exp": now + 300,
                    "nonce": grant["nonce"],
                    **grant["person"],
                }
                return self._json(
                    {
                        "access_token": grant["access_token"],
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(claims),
                    }
                )

        return Handler
