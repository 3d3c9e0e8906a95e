"""Signing webhook calls by the Standard Webhooks scheme (https://www.standardwebhooks.com). Pure:
no Reflex, no database.

Each call carries `webhook-id` (the delivery's id: the same on every retry, so a receiver can drop a
repeat), `webhook-timestamp` (seconds since 1970) and `webhook-signature`: `v1,` and the base64
HMAC-SHA256, keyed by the secret, of "id.timestamp.body". The secret is base64, optionally after
`whsec_`, as the scheme's libraries make it; tests check the signatures with the scheme's own
library (standardwebhooks).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PREFIX = "whsec_"
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64


class SecretError(ValueError):
    """The secret is not a usable Standard Webhooks secret; the message says why (never the secret)."""


def secret_bytes(secret: str) -> bytes:
    """The key a secret stands for: base64 after an optional `whsec_`, 24 to 64 bytes."""
    text = secret.strip()
    text = text[len(PREFIX):] if text.startswith(PREFIX) else text
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SecretError("the secret is not base64 (make one with: python -c \"import base64, secrets; "
                          "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\")") from None
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise SecretError(f"the secret is {len(key)} bytes; use {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES}")
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value for one call."""
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(key: bytes, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The headers of one signed call."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(key, message_id, timestamp, body),
    }
