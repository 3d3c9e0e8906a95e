"""The second factor: time-based one-time codes (RFC 6238, with pyotp) and recovery codes, and the
QR code an authenticator app scans (drawn by segno). No Reflex, no database.

A code is accepted for the current 30-second step or the one either side (clocks drift), and only
for a step later than the last one used, so a code seen over someone's shoulder cannot be used
again. Recovery codes are 16 characters from an alphabet without look-alikes (80 bits), kept as
their SHA-256 and used once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import base64
import io
import secrets

import pyotp
import segno

from infoshare_widget.base.codes import readable_code

ISSUER = "InfoShare widget"
RECOVERY_CODES = 10


def new_secret() -> str:
    """A new base32 secret for an authenticator app (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, organisation: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=f"{account} ({organisation})", issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The address as a QR code, an SVG data: URI for an <img> (dark on light, with a quiet zone)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff",
                                    xmldecl=False, svgns=True, title="QR code for your authenticator app")

    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def clean_code(text: str) -> str:
    """What was typed, without spaces or dashes, upper case (codes are read out and copied)."""
    return "".join(ch for ch in str(text) if ch.isalnum()).upper()[:32]


def matching_step(secret: str, code: str, *, last_step: int | None, now: dt.datetime) -> int | None:
    """The time step a six-digit code belongs to (this step or one either side), if it is later than
    the last step used; None when it does not match."""
    code = clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: dt.datetime) -> str:
    """The code an authenticator shows at `now` (the tests act as the practitioner's app with it)."""
    return pyotp.TOTP(secret).at(now)


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Fresh recovery codes, formatted XXXX-XXXX-XXXX-XXXX for reading."""
    return [readable_code(16) for _ in range(count)]


def code_hash(code: str) -> str:
    """What is kept of a recovery or reset code: the SHA-256 of its cleaned form."""
    return hashlib.sha256(clean_code(code).encode()).hexdigest()
