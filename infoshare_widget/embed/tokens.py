"""Signed identity for embedding: checking a partner's short-lived token (JWT). Pure: no Reflex.

A partner's own server signs a token for its signed-in practitioner: iss (the partner), aud (this
widget), sub, name, role, org, iat, exp (at most 15 minutes after iat) and jti; and, where the partner
can, origin: the intranet page's origin the token is made for. Keys are per partner: a public key
(RS256 or ES256: preferred, as the widget then cannot mint tokens) or a shared secret (HS256). Every
refusal has a reason that can be shown and logged; the token itself is never logged.

Which page passed a token in is something the server cannot see: the page's origin comes with the
event from the browser. Against an honest browser it holds (the frame reads it from the message's
own origin), but a hand-made client can send any. A signed `origin` claim binds the token to one
intranet origin: the token is refused when the origin reported is another, or is not one the partner
lists. Without the claim the origin check is advisory; frame-ancestors (web/headers.py) is what
stops other sites showing the widget at all. A partner can require the claim (require_origin_claim).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from infoshare_widget.base.access import level_from_claims
from jwt.algorithms import get_default_algorithms

MAX_LIFETIME = dt.timedelta(minutes=15)
LEEWAY_SECONDS = 30
ASYMMETRIC = ("RS256", "ES256")
REQUIRED_CLAIMS = ("iss", "aud", "sub", "name", "role", "org", "iat", "exp", "jti")
MAX_TOKEN_CHARS = 8192


class TokenRejected(ValueError):
    """The token is refused; `reason` is a short code, `message` plain words for the widget.

    `org` is set only when the partner's signature checked out and the organisation is one the
    partner may vouch for: only then may the refusal go to that organisation's access log (anyone can
    write any organisation's name into an unsigned token)."""

    def __init__(self, reason: str, message: str, org: str | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.org = org


@dataclass(frozen=True)
class Partner:
    """An organisation allowed to embed the widget and vouch for its users."""

    issuer: str
    algorithm: str  # RS256, ES256 or HS256
    key: str  # a PEM public key, or the shared secret for HS256
    organisations: tuple[str, ...]
    origins: tuple[str, ...] = ()
    # Which claim gives the access level, and its values mapped to levels (unmapped: recorder).
    access_claim: str | None = None
    access_levels: tuple[tuple[str, str], ...] = ()
    # Whether an `amr` claim with "mfa" or "otp" counts as the second factor for elevated levels.
    second_factor_trusted: bool = False
    # Whether tokens must carry a signed `origin` claim.
    require_origin_claim: bool = False

    def __post_init__(self):
        if self.algorithm not in (*ASYMMETRIC, "HS256"):
            raise ValueError(f"partner {self.issuer}: algorithm must be RS256, ES256 or HS256")
        if self.algorithm == "HS256" and len(self.key) < 32:
            raise ValueError(f"partner {self.issuer}: an HS256 secret must be at least 32 characters")


@dataclass(frozen=True)
class Identity:
    """Who the partner says the practitioner is."""

    issuer: str
    subject: str
    name: str
    role: str
    org: str
    jti: str
    expires_at: dt.datetime
    level: str = "recorder"  # from the partner's access claim and mapping
    second_factor: bool = False  # amr says mfa or otp, and the partner is trusted for it


def _header(token: str) -> dict:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenRejected("malformed", "The sign-in token is not a valid token.") from None


def _claims_unverified(token: str) -> dict:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenRejected("malformed", "The sign-in token is not a valid token.") from None


def verify_token(
    token: str,
    *,
    partners: dict[str, Partner],
    audience: str,
    seen: Callable[[str, str, dt.datetime], bool],
    now: dt.datetime | None = None,
    origin: str | None = None,
) -> Identity:
    """Check a token completely, or raise TokenRejected with the reason.

    `seen(issuer, jti, expires_at)` records the token id and returns True when it was used before
    (a replay); it is called last, only for a token that is otherwise good. `origin` is the origin of
    the page that passed the token in: when the partner lists origins it must be one of them (None
    skips this check; the widget always passes the origin).
    """
    _check_size(token)
    algorithm = _signing_algorithm(token)
    partner = _partner_for(token, partners)
    _check_algorithm(algorithm, partner)
    moment = now or dt.datetime.now(dt.UTC)
    claims = _verified_claims(token, partner, audience, moment)
    try:
        expires = _check_signed(claims, partner, moment, origin, seen)
    except TokenRejected as exc:
        raise _signed(token, partner, exc.reason, exc.message) from None
    return _identity(claims, partner, expires)


def _check_size(token: str) -> None:
    """Refuse what cannot be a token before reading it: nothing, or more than any partner's token."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenRejected("malformed", "The sign-in token is missing or too long.")


def _signing_algorithm(token: str) -> object:
    """The algorithm the token says it is signed with; an unsigned token ('none') is never accepted,
    whoever it claims to come from."""
    algorithm = _header(token).get("alg")
    if not algorithm or str(algorithm).lower() == "none":
        raise TokenRejected("alg_none", "Unsigned tokens are not accepted.")
    return algorithm


def _partner_for(token: str, partners: dict[str, Partner]) -> Partner:
    """The partner the token names as its issuer (read before the signature, to choose the key)."""
    issuer = _claims_unverified(token).get("iss")
    partner = partners.get(issuer) if isinstance(issuer, str) else None
    if partner is None:
        raise TokenRejected("unknown_issuer", "The token comes from an organisation that is not set up here.")
    return partner


def _check_algorithm(algorithm: object, partner: Partner) -> None:
    """Only the partner's own algorithm: otherwise a public key could be used as an HS256 secret and
    anyone could sign."""
    if algorithm != partner.algorithm:
        raise TokenRejected("wrong_algorithm", f"This organisation's tokens must be signed with {partner.algorithm}.")


def _verified_claims(token: str, partner: Partner, audience: str, moment: dt.datetime) -> dict:
    """The claims once the signature, audience, issuer, required claims and times check out, or the
    refusal. PyJWT checks the signature before the claims: a refusal below bad_signature is of a token
    the partner really signed, so the organisation it names may hear of it."""
    try:
        key = get_default_algorithms()[partner.algorithm].prepare_key(partner.key)
        return _decode_at(token, key, partner, audience, moment)
    except (jwt.InvalidSignatureError, jwt.DecodeError, jwt.InvalidKeyError):
        raise TokenRejected("bad_signature", "The sign-in token's signature does not match.") from None
    except jwt.ExpiredSignatureError:
        raise _signed(token, partner, "expired", "The sign-in token has expired: reload the page.") from None
    except jwt.ImmatureSignatureError:
        raise _signed(token, partner, "not_yet_valid", "The sign-in token is not valid yet: check the clocks.") from None
    except jwt.InvalidAudienceError:
        raise _signed(token, partner, "wrong_audience", "The sign-in token is for another service.") from None
    except jwt.InvalidIssuerError:
        raise _signed(token, partner, "wrong_issuer", "The sign-in token's issuer does not match.") from None
    except jwt.MissingRequiredClaimError as exc:
        raise _signed(token, partner, "missing_claim", f"The sign-in token has no '{exc.claim}'.") from None
    except TokenRejected as exc:
        raise _signed(token, partner, exc.reason, exc.message) from None
    except jwt.PyJWTError:
        raise TokenRejected("invalid", "The sign-in token is not valid.") from None


def _identity(claims: dict, partner: Partner, expires: dt.datetime) -> Identity:
    """Who the practitioner is, with the access level the partner maps its claim to; the second factor
    counts only from a partner trusted to vouch for it."""
    level = level_from_claims(claims, partner.access_claim, dict(partner.access_levels))
    amr = claims.get("amr")
    second = partner.second_factor_trusted and isinstance(amr, list) and bool({"mfa", "otp"} & {
        a for a in amr if isinstance(a, str)})
    return Identity(partner.issuer, claims["sub"], claims["name"], claims["role"], claims["org"], claims["jti"],
                    expires, level, second)


def _signed(token: str, partner: Partner, reason: str, message: str) -> TokenRejected:
    """A refusal of a token whose signature checked out, naming its organisation if the partner may
    vouch for it."""
    org = _claims_unverified(token).get("org")
    return TokenRejected(reason, message, org if isinstance(org, str) and org in partner.organisations else None)


def _check_signed(claims: dict, partner: Partner, moment: dt.datetime, origin: str | None,
                  seen: Callable[[str, str, dt.datetime], bool]) -> dt.datetime:
    """The checks of a token whose signature is good: times, claims, organisation, origin, replay;
    when it expires."""
    for claim in ("iat", "exp", "nbf"):
        value = claims.get(claim)
        if claim in claims and (isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**11):
            raise TokenRejected("bad_claim", f"The sign-in token's '{claim}' is not a time.")
    issued = dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC)
    expires = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
    if expires - issued > MAX_LIFETIME:
        raise TokenRejected("too_long", "The sign-in token lasts more than 15 minutes.")
    if issued > moment + dt.timedelta(seconds=LEEWAY_SECONDS):
        raise TokenRejected("not_yet_valid", "The sign-in token is not valid yet: check the clocks.")
    for claim in ("sub", "name", "role", "org", "jti"):
        if not isinstance(claims.get(claim), str) or not claims[claim].strip() or len(claims[claim]) > 200:
            raise TokenRejected("bad_claim", f"The sign-in token's '{claim}' is not usable.")
    if claims["org"] not in partner.organisations:
        raise TokenRejected("org_not_allowed", "This organisation may not sign in through this partner.")
    if origin is not None and not origin_allowed(partner, origin):
        raise TokenRejected("wrong_origin", "This organisation's tokens are not accepted from this page's site.")
    signed_origin = claims.get("origin")
    if signed_origin is not None:
        if not isinstance(signed_origin, str) or not origin_allowed(partner, signed_origin):
            raise TokenRejected("wrong_origin", "This organisation's tokens are not accepted from this page's site.")
        if origin is not None and not _same_origin(signed_origin, origin):
            raise TokenRejected("wrong_origin", "This sign-in token was made for another page.")
    elif partner.require_origin_claim:
        raise TokenRejected("missing_claim", "The sign-in token has no 'origin'.")
    if seen(partner.issuer, claims["jti"], expires):
        raise TokenRejected("replayed", "This sign-in token was used before.")
    return expires


def _same_origin(a: str, b: str) -> bool:
    return a.strip().rstrip("/").lower() == b.strip().rstrip("/").lower()


def origin_allowed(partner: Partner, origin: str) -> bool:
    """Whether a page at `origin` may pass in this partner's tokens: any, if it lists none."""
    if not partner.origins:
        return True
    return origin.strip().rstrip("/").lower() in {o.rstrip("/").lower() for o in partner.origins}


def _decode_at(token: str, key, partner: Partner, audience: str, moment: dt.datetime) -> dict:
    """Check the signature, audience, issuer and required claims; then the times against `moment`."""
    claims = jwt.decode(
        token, key, algorithms=[partner.algorithm], audience=audience, issuer=partner.issuer,
        options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )
    stamp = moment.timestamp()
    for claim in ("iat", "exp", "nbf"):
        value = claims.get(claim)
        if claim in claims and (isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**11):
            raise TokenRejected("bad_claim", f"The sign-in token's '{claim}' is not a time.")
    if int(claims["exp"]) + LEEWAY_SECONDS <= stamp:
        raise jwt.ExpiredSignatureError("expired")
    if "nbf" in claims and int(claims["nbf"]) - LEEWAY_SECONDS > stamp:
        raise jwt.ImmatureSignatureError("not yet valid")
    return claims


def describe_for_log(token: object) -> str:
    """What may be logged about a token: its issuer and id, never the token."""
    if not isinstance(token, str):
        return "token=<none>"
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        return f"iss={json.dumps(str(claims.get('iss', '?'))[:100])} jti={json.dumps(str(claims.get('jti', '?'))[:100])}"
    except jwt.PyJWTError:
        return "token=<unreadable>"
