"""Route constants and URL builders, in one place."""

from infoshare_widget.base.access import allowed

DECIDE = "/"
GLOSSARY = "/glossary"
GLOSSARY_ENTRY = "/glossary/[slug]"


def glossary_entry(slug: str) -> str:
    """The stable link of a glossary entry."""
    return f"{GLOSSARY}/{slug}"

SIGN_IN = "/sign-in"
RECORDS = "/records"
RECORD = "/records/[record_id]"
RECORD_DETAILS = "/records/[record_id]/details"


def record(record_id: str) -> str:
    """A record's page."""
    return f"{RECORDS}/{record_id}"

SIGN_IN_CODE = "/sign-in/code"
SIGN_IN_SET_UP = "/sign-in/set-up"
RESET_PASSWORD = "/reset-password"
ADMIN = "/admin"
ACCESS_LOG = "/access-log"
INSIGHT = "/insight"


def second_step(waiting_for: str) -> str:
    """The page for an elevated sign-in's second step: a code, or setting up an authenticator."""
    return SIGN_IN_CODE if waiting_for == "code" else SIGN_IN_SET_UP


def home_for(level: str) -> str:
    """Where a person goes after signing in: those who manage accounts to the admin area, everyone
    else to the records."""
    return ADMIN if allowed(level, "manage_accounts") else RECORDS
