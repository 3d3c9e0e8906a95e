"""Signed identity: good tokens pass; every kind of bad token is refused with its reason."""

import base64
import datetime as dt
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from infoshare_widget.embed.tokens import Partner, TokenRejected, describe_for_log, verify_token

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
AUDIENCE = "infoshare-widget"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SECRET = "s" * 40


def pem(private) -> str:
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


PARTNERS = {
    "https://trust.example": Partner("https://trust.example", "RS256", pem(RSA_KEY), ("example-trust",)),
    "https://school.example": Partner("https://school.example", "ES256", pem(EC_KEY), ("school-b",)),
    "https://council.example": Partner("https://council.example", "HS256", SECRET, ("council-c",)),
}


def claims(**changes):
    body = {
        "iss": "https://trust.example", "aud": AUDIENCE, "sub": "u-123", "name": "Sam Jones",
        "role": "Health visitor", "org": "example-trust", "iat": int(NOW.timestamp()) - 60,
        "exp": int(NOW.timestamp()) + 600, "jti": "jti-1",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def sign(body, key=RSA_KEY, algorithm="RS256"):
    return jwt.encode(body, key, algorithm=algorithm)


def check(token, seen=lambda *a: False):
    return verify_token(token, partners=PARTNERS, audience=AUDIENCE, seen=seen, now=NOW)


@pytest.mark.parametrize(
    ("token", "org"),
    [
        (lambda: sign(claims()), "example-trust"),
        (lambda: sign(claims(iss="https://school.example", org="school-b"), EC_KEY, "ES256"), "school-b"),
        (lambda: sign(claims(iss="https://council.example", org="council-c"), SECRET, "HS256"), "council-c"),
    ],
)
def test_good_tokens_give_the_identity(token, org):
    identity = check(token())
    assert identity.org == org and identity.name == "Sam Jones" and identity.role == "Health visitor"


def _unsigned():
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
    return f"{header}.{body}."


def _tampered():
    head, body, signature = sign(claims()).split(".")
    changed = base64.urlsafe_b64encode(json.dumps(claims(org="school-b", name="Mallory")).encode()).rstrip(b"=").decode()
    return f"{head}.{changed}.{signature}"


def _bad_signature():
    head, body, signature = sign(claims()).split(".")
    return f"{head}.{body}.{signature[:-4]}AAAA"


BAD = [
    ("expired", lambda: sign(claims(iat=int(NOW.timestamp()) - 900, exp=int(NOW.timestamp()) - 60)), "expired"),
    ("not yet valid", lambda: sign(claims(iat=int(NOW.timestamp()) + 300, exp=int(NOW.timestamp()) + 800)), "not_yet_valid"),
    ("not before", lambda: sign(claims(nbf=int(NOW.timestamp()) + 300)), "not_yet_valid"),
    ("wrong audience", lambda: sign(claims(aud="another-service")), "wrong_audience"),
    ("unknown issuer", lambda: sign(claims(iss="https://evil.example")), "unknown_issuer"),
    ("unknown key", lambda: sign(claims(), OTHER_RSA), "bad_signature"),
    ("alg none", _unsigned, "alg_none"),
    ("wrong algorithm for the key (HS256 with the public key)",
     lambda: jwt.encode(claims(), "x" * 40, algorithm="HS256"), "wrong_algorithm"),
    ("wrong algorithm (ES256 for an RS256 partner)", lambda: sign(claims(), EC_KEY, "ES256"), "wrong_algorithm"),
    ("tampered payload", _tampered, "bad_signature"),
    ("tampered signature", _bad_signature, "bad_signature"),
    ("organisation not allowed", lambda: sign(claims(org="school-b")), "org_not_allowed"),
    ("lasts too long", lambda: sign(claims(exp=int(NOW.timestamp()) + 3600)), "too_long"),
    ("missing jti", lambda: sign(claims(jti=None)), "missing_claim"),
    ("exp not a number", lambda: sign(claims(exp="soon")), "bad_claim"),
    ("iat a boolean", lambda: sign(claims(iat=True)), "bad_claim"),
    ("exp far beyond any date", lambda: sign(claims(exp=10**20)), "bad_claim"),
    ("missing org", lambda: sign(claims(org=None)), "missing_claim"),
    ("empty name", lambda: sign(claims(name=" ")), "bad_claim"),
    ("not a token", lambda: "not.a.token", "malformed"),
    ("empty", lambda: "", "malformed"),
    ("oversized", lambda: "a" * 9000, "malformed"),
]


@pytest.mark.parametrize(("case", "token", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_tokens_are_refused_with_their_reason(case, token, reason):
    with pytest.raises(TokenRejected) as caught:
        check(token())
    assert caught.value.reason == reason
    assert caught.value.message


def test_a_replayed_token_is_refused():
    used = set()

    def seen(issuer, jti, expires):
        key = (issuer, jti)
        was = key in used
        used.add(key)
        return was

    token = sign(claims())
    assert check(token, seen).jti == "jti-1"
    with pytest.raises(TokenRejected) as caught:
        check(token, seen)
    assert caught.value.reason == "replayed"


def test_logs_name_the_issuer_and_id_never_the_token():
    token = sign(claims())
    line = describe_for_log(token)
    assert "jti-1" in line and "https://trust.example" in line
    assert token not in line and token.split(".")[2] not in line


def test_partner_settings_are_checked():
    with pytest.raises(ValueError, match="algorithm"):
        Partner("x", "none", "k", ("o",))
    with pytest.raises(ValueError, match="at least 32"):
        Partner("x", "HS256", "short", ("o",))


LISTED = Partner("https://trust.example", "RS256", pem(RSA_KEY), ("example-trust",),
                 ("https://intranet.trust.example", "https://hr.trust.example:8443"))


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("https://intranet.trust.example", True),
        ("https://hr.trust.example:8443", True),
        ("HTTPS://Intranet.Trust.Example/", True),  # as typed by someone, not as browsers send it
        ("https://intranet.school.example", False),  # another partner's page
        ("http://intranet.trust.example", False),  # not the same origin without https
        ("https://hr.trust.example", False),  # another port
        ("https://intranet.trust.example.evil.example", False),
        ("null", False),  # a sandboxed or file: page
        ("", False),
    ],
)
def test_a_partner_that_lists_origins_has_its_tokens_accepted_only_from_them(origin, accepted):
    def verify():
        return verify_token(sign(claims()), partners={LISTED.issuer: LISTED}, audience=AUDIENCE,
                            seen=lambda *a: False, now=NOW, origin=origin)

    if accepted:
        assert verify().subject == "u-123"
    else:
        with pytest.raises(TokenRejected) as caught:
            verify()
        assert caught.value.reason == "wrong_origin" and "site" in caught.value.message


def test_a_partner_that_lists_no_origins_is_accepted_from_any_page():
    assert verify_token(sign(claims()), partners=PARTNERS, audience=AUDIENCE, seen=lambda *a: False, now=NOW,
                        origin="https://anywhere.example").org == "example-trust"


def test_a_token_from_the_wrong_page_is_not_marked_used():
    used = []
    with pytest.raises(TokenRejected):
        verify_token(sign(claims()), partners={LISTED.issuer: LISTED}, audience=AUDIENCE,
                     seen=lambda *a: used.append(a) or False, now=NOW, origin="https://evil.example")
    assert used == []


MAPPED = Partner("https://trust.example", "RS256", pem(RSA_KEY), ("example-trust",), (),
                 access_claim="groups", access_levels=(("dsl", "lead"), ("audit", "auditor"), ("it", "admin")),
                 second_factor_trusted=True)


@pytest.mark.parametrize(
    ("extra", "partner", "level", "second"),
    [
        ({}, MAPPED, "recorder", False),  # no claim: recorder
        ({"groups": ["staff"]}, MAPPED, "recorder", False),  # unmapped: recorder
        ({"groups": "dsl"}, MAPPED, "lead", False),  # a single string works too
        ({"groups": ["staff", "audit", "dsl"]}, MAPPED, "lead", False),  # the widest level wins
        ({"groups": ["it"], "amr": ["pwd", "mfa"]}, MAPPED, "admin", True),
        ({"groups": ["dsl"], "amr": ["otp"]}, MAPPED, "lead", True),
        ({"groups": ["dsl"], "amr": "mfa"}, MAPPED, "lead", False),  # amr must be a list
        ({"groups": [{"x": 1}, 7]}, MAPPED, "recorder", False),  # odd values are ignored
        # A partner not trusted for the second factor: amr does not count.
        ({"groups": ["dsl"], "amr": ["mfa"]},
         Partner("https://trust.example", "RS256", pem(RSA_KEY), ("example-trust",), (), "groups",
                 (("dsl", "lead"),), False), "lead", False),
    ],
)
def test_a_partner_maps_a_claim_to_a_level_and_may_vouch_for_the_second_factor(extra, partner, level, second):
    identity = verify_token(sign(claims(**extra)), partners={partner.issuer: partner}, audience=AUDIENCE,
                            seen=lambda *a: False, now=NOW)
    assert (identity.level, identity.second_factor) == (level, second)


STRICT = Partner("https://trust.example", "RS256", pem(RSA_KEY), ("example-trust",),
                 ("https://intranet.trust.example", "https://hr.trust.example:8443"), require_origin_claim=True)


@pytest.mark.parametrize(
    ("signed_origin", "reported", "partner", "reason"),
    [
        ("https://intranet.trust.example", "https://intranet.trust.example", STRICT, None),
        ("https://intranet.trust.example", None, STRICT, None),  # nothing reported: the signed one stands
        # The token was made for one page and passed in from another, both the partner's own.
        ("https://intranet.trust.example", "https://hr.trust.example:8443", STRICT, "wrong_origin"),
        ("https://evil.example", "https://evil.example", STRICT, "wrong_origin"),  # signed, but not listed
        (None, "https://intranet.trust.example", STRICT, "missing_claim"),  # the partner requires the claim
        (None, "https://intranet.trust.example", LISTED, None),  # advisory only, where not required
        (42, "https://intranet.trust.example", STRICT, "wrong_origin"),
    ],
)
def test_a_signed_origin_binds_a_token_to_one_intranet_page(signed_origin, reported, partner, reason):
    token = sign(claims(origin=signed_origin))

    def verify():
        return verify_token(token, partners={partner.issuer: partner}, audience=AUDIENCE, seen=lambda *a: False,
                            now=NOW, origin=reported)

    if reason is None:
        assert verify().subject == "u-123"
    else:
        with pytest.raises(TokenRejected) as caught:
            verify()
        assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("token", "org"),
    [
        (lambda: sign(claims(), OTHER_RSA), None),  # forged: another key
        (lambda: sign(claims(org="someone-else")), None),  # signed, for an organisation not the partner's
        (lambda: sign(claims(exp=int(NOW.timestamp()) - 3600, iat=int(NOW.timestamp()) - 3900)), "example-trust"),
        (lambda: sign(claims(aud="another-service")), "example-trust"),
        (lambda: sign(claims(jti=None)), "example-trust"),
    ],
)
def test_only_a_refusal_of_a_signed_token_names_an_organisation(token, org):
    with pytest.raises(TokenRejected) as caught:
        check(token())
    assert caught.value.org == org


# A partner set up under one issuer whose tokens name another: its signature checks out, the issuer not.
MISNAMED = {"https://trust.example": Partner("https://other.example", "RS256", pem(RSA_KEY), ("example-trust",))}

# Every way verify_token refuses, in the words the widget shows, and whose access log may hear of it.
SAID = [
    ("too long", lambda: "a" * 9000, PARTNERS, "malformed", "The sign-in token is missing or too long.", None),
    ("not a token", lambda: "not.a.token", PARTNERS, "malformed", "The sign-in token is not a valid token.", None),
    ("unsigned", _unsigned, PARTNERS, "alg_none", "Unsigned tokens are not accepted.", None),
    ("unknown issuer", lambda: sign(claims(iss="https://evil.example")), PARTNERS, "unknown_issuer",
     "The token comes from an organisation that is not set up here.", None),
    ("another algorithm", lambda: sign(claims(), EC_KEY, "ES256"), PARTNERS, "wrong_algorithm",
     "This organisation's tokens must be signed with RS256.", None),
    ("another key", lambda: sign(claims(), OTHER_RSA), PARTNERS, "bad_signature",
     "The sign-in token's signature does not match.", None),
    ("expired", lambda: sign(claims(iat=int(NOW.timestamp()) - 900, exp=int(NOW.timestamp()) - 60)), PARTNERS,
     "expired", "The sign-in token has expired: reload the page.", "example-trust"),
    ("not before", lambda: sign(claims(nbf=int(NOW.timestamp()) + 300)), PARTNERS, "not_yet_valid",
     "The sign-in token is not valid yet: check the clocks.", "example-trust"),
    ("another audience", lambda: sign(claims(aud="another-service")), PARTNERS, "wrong_audience",
     "The sign-in token is for another service.", "example-trust"),
    ("another issuer than the partner's", lambda: sign(claims()), MISNAMED, "wrong_issuer",
     "The sign-in token's issuer does not match.", "example-trust"),
    ("no jti", lambda: sign(claims(jti=None)), PARTNERS, "missing_claim", "The sign-in token has no 'jti'.",
     "example-trust"),
    ("exp not a time", lambda: sign(claims(exp="soon")), PARTNERS, "bad_claim",
     "The sign-in token's 'exp' is not a time.", "example-trust"),
    # PyJWT's own check of sub: any refusal it has no name for is 'invalid', naming no organisation.
    ("sub not a string", lambda: sign(claims(sub=123)), PARTNERS, "invalid", "The sign-in token is not valid.", None),
    ("lasts too long", lambda: sign(claims(exp=int(NOW.timestamp()) + 3600)), PARTNERS, "too_long",
     "The sign-in token lasts more than 15 minutes.", "example-trust"),
    ("organisation not the partner's", lambda: sign(claims(org="school-b")), PARTNERS, "org_not_allowed",
     "This organisation may not sign in through this partner.", None),
]


@pytest.mark.parametrize(("case", "token", "partners", "reason", "message", "org"), SAID, ids=[s[0] for s in SAID])
def test_each_refusal_says_why_in_plain_words(case, token, partners, reason, message, org):
    with pytest.raises(TokenRejected) as caught:
        verify_token(token(), partners=partners, audience=AUDIENCE, seen=lambda *a: False, now=NOW)
    assert (caught.value.reason, caught.value.message, caught.value.org) == (reason, message, org)
    assert str(caught.value) == message
