"""Email addresses: checked and put in their normal form with email-validator. Pure: no Reflex."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def checked_address(value: str) -> str:
    """An email address in its normal form; ValueError saying what is wrong with it. Syntax only:
    nothing is looked up (the widget may run where DNS is not reachable)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"{value.strip()!r} is not an email address: {exc}") from None
