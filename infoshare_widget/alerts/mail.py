"""Sending email over SMTP, with the standard library's smtplib. No Reflex.

Environment:
  INFOSHARE_SMTP_URL       smtp://host:port (STARTTLS when the server offers it) or smtps://host:465
                           (TLS from the start), optionally with a user: smtps://alerts@mail.example.org:465
  INFOSHARE_SMTP_PASSWORD  the user's password (never in the URL)
  INFOSHARE_MAIL_FROM      the sender's address, required with INFOSHARE_SMTP_URL

Without INFOSHARE_SMTP_URL, alerts stay in the widget ("Needs your attention") and no email is queued.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from infoshare_widget.base.addresses import checked_address

SMTP_URL_ENV = "INFOSHARE_SMTP_URL"
SMTP_PASSWORD_ENV = "INFOSHARE_SMTP_PASSWORD"
MAIL_FROM_ENV = "INFOSHARE_MAIL_FROM"
TIMEOUT_SECONDS = 20


class MailSettingsError(ValueError):
    """The mail settings are wrong; the message names the variable and the problem (never a password)."""



@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps); otherwise STARTTLS where the server offers it
    sender: str
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never the password, should the settings ever be logged
        return f"SmtpSettings({'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}, from {self.sender})"


def smtp_settings(environ: dict[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP server alerts are sent through, or None when none is set."""
    environ = os.environ if environ is None else environ
    url = environ.get(SMTP_URL_ENV, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise MailSettingsError(f"{SMTP_URL_ENV}: use smtp://host:port or smtps://user@host:465")
    if parts.password:
        raise MailSettingsError(f"{SMTP_URL_ENV}: put the password in {SMTP_PASSWORD_ENV}, not in the URL")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise MailSettingsError(f"{SMTP_URL_ENV}: the port is not a number from 1 to 65535") from None
    sender = environ.get(MAIL_FROM_ENV, "").strip()
    if not sender:
        raise MailSettingsError(f"{MAIL_FROM_ENV}: set the address alerts are sent from")
    try:
        sender = checked_address(sender)
    except ValueError as exc:
        raise MailSettingsError(f"{MAIL_FROM_ENV}: {exc}") from None
    return SmtpSettings(host=parts.hostname, port=port, tls=parts.scheme == "smtps", sender=sender,
                        user=unquote(parts.username) if parts.username else None,
                        password=environ.get(SMTP_PASSWORD_ENV) or None)


class Mailer:
    """One SMTP connection, opened on the first message and kept for the rest of a batch."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if s.user:
            smtp.login(s.user, s.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; raises OSError or smtplib.SMTPException when it was not accepted."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except Exception:  # noqa: BLE001 - the connection is being dropped anyway
                self._smtp.close()
            self._smtp = None
