"""Access levels and what each may do. Pure: no Reflex, no database.

An account's level is separate from its job title, as in the systems safeguarding leads already use
(who may record apart from who may read). What each level may do is the table in docs/security.md
("Access levels"); tests/db/test_access_levels.py checks that table and `_ALLOWED` below against
each other.

The service layer asks `allowed(level, action)` before every read and write (records/service.py,
admin/service.py), so pages, event handlers and the API all meet the same rule. A refused action
raises `Refused`, which callers show as "you do not have access".
"""

from __future__ import annotations

LEVELS = ("recorder", "lead", "admin", "auditor")
LEVEL_LABELS = {
    "recorder": "Recorder: records decisions, sees and exports only their own",
    "lead": "Lead: sees, follows up and exports all the organisation's records",
    "admin": "Admin: manages accounts and settings, sees no records",
    "auditor": "Auditor: reads records and the access log, changes nothing",
}
# Levels that must give a second factor when they sign in with a password.
ELEVATED = frozenset({"lead", "admin", "auditor"})
DEFAULT_LEVEL = "recorder"

# Every action the service layer checks, with what it means.
ACTIONS = {
    "record": "record a new decision",
    "list": "list records",
    "open": "open a record (its page, print view or summary)",
    "amend": "add details to or correct a record",
    "follow_up": "mark a follow-up as done or not done",
    "export": "export records (CSV or JSON)",
    "subject_access": "export every record of a case for a subject access request",
    "verify": "check the chain of records",
    "manage_accounts": "manage accounts, keys and the organisation's settings",
    "hand_over": "make the one-time code a person uses to set the password of an account that reads records",
    "manage_keys": "make a records API key (it reads records)",
    "read_access_log": "read the access log",
    "insight": "see the insight page (counts only, never a record)",
}

_ALLOWED: dict[str, frozenset[str]] = {
    "recorder": frozenset({"record", "list", "open", "amend", "follow_up", "export"}),
    "lead": frozenset({"record", "list", "open", "amend", "follow_up", "export", "subject_access", "verify",
                       "read_access_log", "insight", "hand_over", "manage_keys"}),
    "admin": frozenset({"manage_accounts"}),
    "auditor": frozenset({"list", "open", "export", "subject_access", "verify", "read_access_log", "insight"}),
}
# Levels whose record actions are limited to the records they made themselves.
OWN_ONLY = frozenset({"recorder"})
# Levels that read record content (their own or others'): whoever knows such an account's password
# reads records, so an admin never learns it (admin/service.py).
READS_RECORDS = frozenset(level for level, actions in _ALLOWED.items() if "open" in actions)


class Refused(PermissionError):
    """The caller's level does not allow this; the message says so in plain words."""


def allowed(level: str, action: str) -> bool:
    """Whether an account of this level may take this action (unknown levels may do nothing)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in _ALLOWED.get(level, frozenset())


def actions_for(level: str) -> list[str]:
    """Every action a level allows, for pages that show only what the server would allow."""
    return sorted(_ALLOWED.get(level, frozenset()))


def require(level: str, action: str) -> None:
    """Raise Refused unless the level allows the action."""
    if not allowed(level, action):
        who = [f"an {name}" if name[0] in "aeiou" else f"a {name}" for name in LEVELS if allowed(name, action)]
        ask = " or ".join([", ".join(who[:-1]), who[-1]] if len(who) > 1 else who)
        raise Refused(f"Your access level ({level or 'none'}) does not allow you to {ACTIONS[action]}"
                      + (f": ask {ask}." if ask else "."))


def own_only(level: str) -> bool:
    """Whether this level sees only its own records."""
    return level in OWN_ONLY


def needs_second_factor(level: str) -> bool:
    """Whether a password sign-in at this level must also give a code."""
    return level in ELEVATED


def level_from_claims(claims: dict, claim: str | None, mapping: dict[str, str]) -> str:
    """The level a partner's token gives: its `claim` (a string or a list of strings, such as
    groups) looked up in the partnership's mapping; the highest-ranked match wins, unmapped means
    recorder."""
    if not claim or not mapping:
        return DEFAULT_LEVEL
    value = claims.get(claim)
    values = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(
        value, list) else []
    found = [mapping[v] for v in values if v in mapping and mapping[v] in LEVELS]
    if not found:
        return DEFAULT_LEVEL
    # A person in several groups gets the level that sees most records (lead, then auditor, admin).
    rank = {"lead": 0, "auditor": 1, "admin": 2, "recorder": 3}
    return min(found, key=rank.__getitem__)
