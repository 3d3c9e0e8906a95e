"""Settings from the environment and the partnership file. Pure: no Reflex import.

Environment:
  INFOSHARE_PARTNERSHIP_FILE  path of the partnership file (default: partnership.example.yaml)
  INFOSHARE_GLOSSARY_FILE     a partnership's local glossary terms, YAML or CSV (optional)
  INFOSHARE_API_KEYS          per-organisation keys for the records API: "org-id=key;other-org=key2"
  INFOSHARE_SESSION_IDLE_MINUTES  minutes a sign-in lasts unused (default 30)
  REFLEX_DB_URL               database URL (default: sqlite:///infoshare.db), read by rxconfig.py

A missing or malformed partnership file stops start-up with SettingsError naming the file and the
problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from infoshare_widget.base.content_files import ContentFileError, read_yaml, validation_problems
from infoshare_widget.base.clock import add_months, uk_today
from infoshare_widget.base.hours import BANK_HOLIDAY, DAYS, HOURS_KEYS, Ranges, format_ranges, parse_ranges, uncovered

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PARTNERSHIP_FILE = PROJECT_ROOT / "partnership.example.yaml"
PARTNERSHIP_ENV = "INFOSHARE_PARTNERSHIP_FILE"

_PHONE = re.compile(r"^\+?[0-9][0-9 ]{4,19}$")
# An origin exactly as browsers send it: scheme://host[:port], lower case, no path.
_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")


class SettingsError(ValueError):
    """A setting or the partnership file is wrong; the message names the file and the problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    """Someone to phone or write to."""

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = None
    email: str | None = Field(default=None, max_length=200)
    # Hours in words, shown as they are ("Monday to Friday, 9am to 5pm").
    hours: str | None = Field(default=None, max_length=200)
    # Hours as data, in UK time, so the widget can say whether the service is open now:
    # {monday: "08:45-17:15", ..., bank_holiday: "all day"}; a day not listed is closed.
    open: dict[str, Ranges] | None = None
    note: str | None = Field(default=None, max_length=500)

    @field_validator("open", mode="before")
    @classmethod
    def _open_shape(cls, value: object) -> object:
        if value is None:
            return value
        if not isinstance(value, dict) or not value:
            raise ValueError(f"give opening times by day, with the days {', '.join(HOURS_KEYS)}")
        unknown = [str(day) for day in value if day not in HOURS_KEYS]
        if unknown:
            raise ValueError(f"unknown day {', '.join(unknown)} (use {', '.join(HOURS_KEYS)})")
        return {day: parse_ranges(ranges) for day, ranges in value.items()}

    @field_validator("phone", mode="before")
    @classmethod
    def _phone_shape(cls, value: object) -> object:
        if value is None:
            return value
        if not isinstance(value, str):
            # YAML reads 01632960001 as a number and drops the leading 0.
            raise ValueError("write the phone number in quotes, for example \"01632 960 001\"")
        value = value.strip()
        if not _PHONE.match(value):
            raise ValueError("a phone number holds digits and spaces, optionally starting with +")
        return value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("not an email address")
        return value

    @property
    def tel_href(self) -> str:
        """A tel: link for the phone number, or an empty string."""
        return "tel:" + self.phone.replace(" ", "") if self.phone else ""


class EmbedPartner(_Strict):
    """An organisation whose intranet embeds the widget and signs its users' identity tokens."""

    issuer: str = Field(min_length=1, max_length=300)
    algorithm: str = Field(pattern="^(RS256|ES256|HS256)$")
    # RS256/ES256: the partner's public key (PEM), a path relative to the partnership file.
    public_key_file: str | None = None
    # HS256: the name of the environment variable that holds the shared secret (never the secret).
    secret_env: str | None = None
    organisations: tuple[str, ...] = Field(min_length=1)
    origins: tuple[str, ...] = ()
    # The token claim that carries the person's access (for example role or groups), and which of
    # its values give which level; a value not listed gives recorder.
    access_claim: str | None = Field(default=None, min_length=1, max_length=100)
    access_levels: dict[str, str] = {}
    # Whether this partner's tokens count as the second factor when their amr says mfa or otp.
    second_factor_trusted: bool = False
    # Whether every token must name, in a signed `origin` claim, the intranet page's origin it was
    # made for (docs/embedding.md, "Signed identity": the origin a page reports is only advisory
    # without it).
    require_origin_claim: bool = False

    @field_validator("origins")
    @classmethod
    def _origins_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_origins(value)

    @field_validator("access_levels")
    @classmethod
    def _levels_known(cls, value: dict[str, str]) -> dict[str, str]:
        from infoshare_widget.base.access import LEVELS

        for claim_value, level in value.items():
            if level not in LEVELS:
                raise ValueError(f"access_levels: {claim_value!r} maps to {level!r}; use one of {', '.join(LEVELS)}")
        return value


def _check_origins(value: tuple[str, ...]) -> tuple[str, ...]:
    """Origins exactly as browsers send them: scheme://host[:port], lower case, no path."""
    for origin in value:
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(f"{origin!r} is not an origin like https://intranet.example.org")
    return value


class ContentReview(_Strict):
    """What to do when decision content is past its next review date."""

    # false: start, and show what is due in the footer and `content-review`; true: refuse to start
    # when an item is more than grace_days past its next review.
    strict: bool = False
    grace_days: int = Field(default=30, ge=0, le=365)


class Agency(_Strict):
    """An agency that receives information, offered as a choice on the details form so the insight
    page can group follow-ups by agency reliably."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    name: str = Field(min_length=1, max_length=200)

    @field_validator("id")
    @classmethod
    def _not_other(cls, value: str) -> str:
        if value == "other":
            raise ValueError("'other' is kept for the form's Other choice: use another id")
        return value


class Area(_Strict):
    """A neighbouring area (council) beside the partnership's own: its front door, out-of-hours team and
    LADO, offered on every outcome that sends someone to a service, for a child who lives there."""

    # Stays the same when a name changes: it keys the area's contacts (area-<id>-front_door...).
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    name: str = Field(min_length=1, max_length=200)
    front_door: Contact
    out_of_hours: Contact
    lado: Contact | None = None
    # The council's own page on children's social care (https only), shown as a link.
    website: str | None = Field(default=None, pattern=r"^https://[^\s\"'<>]+$", max_length=300)
    note: str | None = Field(default=None, max_length=500)

    def contacts(self) -> dict[str, Contact]:
        """This area's contacts by kind (front_door, out_of_hours, lado), in the order shown."""
        found = {"front_door": self.front_door, "out_of_hours": self.out_of_hours}
        if self.lado is not None:
            found["lado"] = self.lado
        return found

    def key(self, kind: str) -> str:
        """The key of this area's contact of `kind`, as in Partnership.contacts_by_key."""
        return f"area-{self.id}-{kind}"


class InsightViewer(_Strict):
    """An account allowed the partnership-wide insight view: an organisation's username, or a partner
    token's issuer and subject."""

    organisation: str | None = Field(default=None, min_length=1, max_length=64)
    username: str | None = Field(default=None, min_length=1, max_length=120)
    issuer: str | None = Field(default=None, min_length=1, max_length=300)
    subject: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one_kind(self) -> "InsightViewer":
        account = self.organisation is not None and self.username is not None
        token = self.issuer is not None and self.subject is not None
        if account == token or (account and (self.issuer or self.subject)) or (token and (self.organisation or self.username)):
            raise ValueError("name a viewer by organisation and username, or by issuer and subject")
        return self


class InsightSettings(_Strict):
    """Who sees the partnership view of the insight page, and whether walks that were not recorded
    are counted."""

    # Accounts (lead or auditor level) that see every organisation's figures, not only their own.
    partnership_viewers: tuple[InsightViewer, ...] = ()
    # The environment variable holding the partnership insight API key (never the key itself).
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{0,63}$")
    # Off by default: when on, the browser sends the outcome kind and the questions answered "Not
    # sure" when a walk ends, recorded or not (docs/insight.md, "Optional: walks that were not
    # recorded").
    count_unrecorded_walks: bool = False


# What a partner system can be told about (alerts/events.py names them for the messages).
WEBHOOK_EVENTS = ("decision.recorded", "follow_up.not_done", "follow_up.overdue")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class Webhook(_Strict):
    """A partner system told about alerts by a signed JSON POST (docs/partnership.md, "Webhooks")."""

    # https only; plain http is accepted only for this machine (127.0.0.1, localhost), as in the tests.
    url: str = Field(max_length=300)
    # The environment variable that holds the signing secret (never the secret itself).
    secret_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")
    events: tuple[str, ...] = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        match = re.fullmatch(r"(https?)://([^/\s:@]+|\[::1\])(:[0-9]{1,5})?(/[^\s\"'<>]*)?", value)
        if match is None:
            raise ValueError(f"{value!r} is not a URL like https://partner.example.org/hooks/infoshare")
        if match.group(1) == "http" and match.group(2) not in _LOOPBACK:
            raise ValueError(f"{value!r}: webhooks are sent over https only (plain http only to this machine)")
        return value

    @field_validator("events")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [event for event in value if event not in WEBHOOK_EVENTS]
        if unknown:
            raise ValueError(f"unknown event {', '.join(unknown)} (use {', '.join(WEBHOOK_EVENTS)})")
        return tuple(dict.fromkeys(value))


class Notify(_Strict):
    """Who is told about alerts outside the widget, besides the leads' emails."""

    webhooks: tuple[Webhook, ...] = ()


class Partnership(_Strict):
    """A local safeguarding partnership's contacts and names."""

    example: bool = False
    name: str = Field(min_length=1, max_length=200)
    area: str = Field(min_length=1, max_length=200)
    front_door: Contact
    # The front door's line for professionals' consultations, where it has its own (else the front door).
    consultation: Contact | None = None
    # Every outcome that sends someone to the front door shows this team beside it.
    out_of_hours: Contact
    advice: tuple[Contact, ...] = Field(min_length=1)
    # The local authority designated officer (LADO), for allegations about adults who work with
    # children: shown in the personal duties panel, with whether they are open now.
    lado: Contact | None = None
    # Neighbouring areas (councils), each with its own front door, out-of-hours team and LADO: offered
    # as "The child lives in another area?" wherever an outcome sends someone to a service.
    areas: tuple[Area, ...] = ()
    # Who to go to when another agency has not done what it said it would (falls back to advice).
    escalation: tuple[Contact, ...] = ()
    # The intranet origins allowed to frame the widget (scheme://host[:port]).
    embed_origins: tuple[str, ...] = ()
    # Partners that sign identity tokens for their users (see docs/embedding.md, "Signed identity").
    embed_partners: tuple[EmbedPartner, ...] = ()
    # Bank holidays (dates), when contacts keep their `bank_holiday` hours.
    bank_holidays: tuple[dt.date, ...] = ()
    # The last day the bank-holiday list covers (default: its last date). After it the widget does
    # not say who is open now: it cannot tell a bank holiday from an ordinary day.
    bank_holidays_until: dt.date | None = None
    content_review: ContentReview = ContentReview()
    # Where "Exit this page" goes: a neutral page (GOV.UK's default is BBC Weather).
    exit_page: str = Field(default="https://www.bbc.co.uk/weather", pattern=r"^https://[^\s\"'<>]+$", max_length=300)
    # Agencies that receive information, offered on the details form (with "Other").
    agencies: tuple[Agency, ...] = ()
    insight: InsightSettings = InsightSettings()
    notify: Notify = Notify()

    @field_validator("agencies")
    @classmethod
    def _agencies_unique(cls, value: tuple[Agency, ...]) -> tuple[Agency, ...]:
        seen = [a.id for a in value]
        twice = sorted({i for i in seen if seen.count(i) > 1})
        if twice:
            raise ValueError(f"agency ids must be unique: {', '.join(twice)} is listed more than once")
        return value

    @field_validator("areas")
    @classmethod
    def _areas_unique(cls, value: tuple[Area, ...]) -> tuple[Area, ...]:
        for what, seen in (("ids", [a.id for a in value]), ("names", [a.name.casefold() for a in value])):
            twice = sorted({i for i in seen if seen.count(i) > 1})
            if twice:
                raise ValueError(f"area {what} must be unique: {', '.join(twice)} is listed more than once")
        return value

    @model_validator(mode="after")
    def _areas_are_other_areas(self) -> "Partnership":
        for area in self.areas:
            if area.name.casefold() == self.area.casefold():
                raise ValueError(f"areas: {area.name!r} is the partnership's own area ({self.area}): list only "
                                 "other areas there; the partnership's own contacts are shown already")
        return self

    @field_validator("embed_origins")
    @classmethod
    def _origins_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_origins(value)

    @model_validator(mode="after")
    def _holidays_until_after_the_list(self) -> "Partnership":
        if self.bank_holidays_until is not None and self.bank_holidays and self.bank_holidays_until < max(self.bank_holidays):
            raise ValueError(f"bank_holidays_until ({self.bank_holidays_until}) is before the last bank holiday listed "
                             f"({max(self.bank_holidays)})")
        return self

    @property
    def bank_holidays_known_until(self) -> dt.date | None:
        """The last day the bank-holiday list covers, or None when no bank holidays are listed."""
        if self.bank_holidays_until is not None:
            return self.bank_holidays_until
        return max(self.bank_holidays) if self.bank_holidays else None

    def warnings(self, today: dt.date) -> list[str]:
        """What is wrong with the file without stopping the widget: hours in which nobody answers, and
        a bank-holiday list that does not reach 12 months ahead. Shown at start-up and by content-review."""
        found = self._cover_warnings(self.front_door, self.out_of_hours, "")
        for area in self.areas:
            found += self._cover_warnings(area.front_door, area.out_of_hours, f"{area.name} (under areas): ")
        horizon = add_months(today, 12)
        until = self.bank_holidays_known_until
        if until is None:
            found.append("no bank holidays are listed, so the widget does not say who is open now: list the next "
                         "12 months' bank holidays under bank_holidays (https://www.gov.uk/bank-holidays)")
        elif until < today:
            found.append(f"the bank holidays listed end on {until:%-d %B %Y}, which has passed, so the widget no longer "
                         "says who is open now: add the coming year's (https://www.gov.uk/bank-holidays)")
        elif until < horizon:
            found.append(f"the bank holidays listed end on {until:%-d %B %Y}, less than 12 months ahead (they should "
                         f"reach {horizon:%-d %B %Y}): add the coming year's (https://www.gov.uk/bank-holidays); "
                         "after the last one the widget stops saying who is open now")
        return found

    def _cover_warnings(self, front_door: Contact, out_of_hours: Contact, whose: str) -> list[str]:
        """Hours in which neither this front door nor its out-of-hours team answers, or that they have
        no hours as data; `whose` begins each message (empty for the partnership's own)."""
        door, night = front_door.open, out_of_hours.open
        if door is None or night is None:
            without = " and ".join(name for name, hours in (("the front door", door), ("the out-of-hours team", night))
                                   if hours is None)
            return [f"{whose}{without} {'have' if ' and ' in without else 'has'} no opening hours as data (`open`), "
                    "so the widget cannot check that someone answers at every hour of the week, or say who "
                    "is open now"]
        keys = [*DAYS, *([BANK_HOLIDAY] if self.bank_holidays else [])]
        return [f"{whose}nobody answers on {'bank holidays' if key == BANK_HOLIDAY else key.capitalize()} at "
                f"{', '.join(format_ranges(gaps))}: neither the front door nor the out-of-hours team is open then "
                "(check their `open` hours)"
                for key, gaps in uncovered(door, night, keys=keys).items()]

    @property
    def escalation_contacts(self) -> tuple[Contact, ...]:
        """The escalation contacts, or the advice contacts where none are set."""
        return self.escalation or self.advice

    @property
    def consultation_line(self) -> Contact:
        """Where professionals ask for a consultation: its own line, or the front door."""
        return self.consultation or self.front_door

    def contacts_by_key(self) -> dict[str, Contact]:
        """Every contact under the key pages and the API use for it (advice-1, escalation-2...; another
        area's as area-<id>-front_door, area-<id>-out_of_hours, area-<id>-lado)."""
        keyed = {"front_door": self.front_door, "consultation": self.consultation_line,
                 "out_of_hours": self.out_of_hours}
        keyed.update({f"advice-{n}": c for n, c in enumerate(self.advice, start=1)})
        keyed.update({f"escalation-{n}": c for n, c in enumerate(self.escalation_contacts, start=1)})
        if self.lado is not None:
            keyed["lado"] = self.lado
        keyed.update({area.key(kind): c for area in self.areas for kind, c in area.contacts().items()})
        return keyed


def load_partnership(path: Path | str) -> Partnership:
    """Read and validate a partnership file; raise SettingsError naming the file and problem."""
    try:
        data = read_yaml(path)
    except ContentFileError as exc:
        raise SettingsError(f"partnership file {exc.source}: {exc.problem}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"partnership file {path}: the file must hold a mapping at the top level")
    try:
        return Partnership.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc))
        raise SettingsError(f"partnership file {path}: {problems}") from None


def partnership_path(environ: dict[str, str] | None = None) -> Path:
    """The partnership file named by the environment, or the shipped example."""
    environ = os.environ if environ is None else environ
    value = environ.get(PARTNERSHIP_ENV, "").strip()
    return Path(value) if value else EXAMPLE_PARTNERSHIP_FILE


_log = logging.getLogger(__name__)


@functools.cache
def get_partnership() -> Partnership:
    """The partnership for this process, loaded once; what needs attention in it is logged as a
    warning at start-up (hours nobody covers, a bank-holiday list that runs out)."""
    path = partnership_path()
    partnership = load_partnership(path)
    for warning in partnership.warnings(uk_today()):
        _log.warning("partnership file %s: %s", path, warning)
    return partnership


API_KEYS_ENV = "INFOSHARE_API_KEYS"
MIN_API_KEY_CHARS = 24


def parse_api_keys(value: str) -> dict[str, str]:
    """'org=key;org2=key2' as {key: org}; raise SettingsError naming the problem (never the key)."""
    keys: dict[str, str] = {}
    for number, item in enumerate((part.strip() for part in value.split(";")), start=1):
        if not item:
            continue
        org, sep, key = item.partition("=")
        org, key = org.strip(), key.strip()
        if not sep or not org or not key:
            raise SettingsError(f"{API_KEYS_ENV}: item {number} must look like org-id=key")
        if len(key) < MIN_API_KEY_CHARS:
            raise SettingsError(f"{API_KEYS_ENV}: the key for '{org}' is shorter than {MIN_API_KEY_CHARS} characters")
        if key in keys:
            raise SettingsError(f"{API_KEYS_ENV}: the key for '{org}' is also used by '{keys[key]}'")
        keys[key] = org
    return keys


@functools.cache
def get_api_keys() -> dict[str, str]:
    """The records API keys for this process, from the environment."""
    return parse_api_keys(os.environ.get(API_KEYS_ENV, ""))


def insight_key(partnership: "Partnership", environ: dict[str, str] | None = None) -> str | None:
    """The partnership's insight API key, from the environment variable the partnership file names
    (None when it names none, or the variable is empty); SettingsError when it is too short."""
    environ = os.environ if environ is None else environ
    name = partnership.insight.api_key_env
    key = environ.get(name, "").strip() if name else ""
    if not key:
        return None
    if len(key) < MIN_API_KEY_CHARS:
        raise SettingsError(f"{name}: the partnership insight key is shorter than {MIN_API_KEY_CHARS} characters")
    return key


SESSION_IDLE_ENV = "INFOSHARE_SESSION_IDLE_MINUTES"
DEFAULT_SESSION_IDLE_MINUTES = 30


def whole_number(environ: dict[str, str] | None, name: str, default: int, low: int, high: int,
                  what: str = "whole number") -> int:
    """A whole number from an environment variable, in a range; the default when it is not set."""
    environ = os.environ if environ is None else environ
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise SettingsError(f"{name}: {value!r} is not a {what} from {low} to {high}")
    return int(value)


def session_idle_minutes(environ: dict[str, str] | None = None) -> int:
    """How many minutes a session may go unused before it ends (INFOSHARE_SESSION_IDLE_MINUTES)."""
    return whole_number(environ, SESSION_IDLE_ENV, DEFAULT_SESSION_IDLE_MINUTES, 1, 8 * 60,
                         "whole number of minutes")


GLOSSARY_BROWSER_MAX_ENV = "INFOSHARE_GLOSSARY_BROWSER_MAX"
# Up to this many entries, the glossary page carries every entry and searches in the browser; above
# it (a very large local glossary), the page would be too heavy for a phone, so it asks the server's
# search API instead (as you type, over plain HTTP).
DEFAULT_GLOSSARY_BROWSER_MAX = 1500


def glossary_browser_max(environ: dict[str, str] | None = None) -> int:
    """The most glossary entries searched in the browser (INFOSHARE_GLOSSARY_BROWSER_MAX)."""
    return whole_number(environ, GLOSSARY_BROWSER_MAX_ENV, DEFAULT_GLOSSARY_BROWSER_MAX, 0, 100_000)


EMBED_ORIGINS_ENV = "INFOSHARE_EMBED_ORIGINS"
PUBLIC_ORIGIN_ENV = "INFOSHARE_PUBLIC_ORIGIN"


def public_origins(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """The widget's own origin(s), as browsers address it: INFOSHARE_PUBLIC_ORIGIN (space-separated),
    else http://localhost on the frontend port. From configuration, never from a request's Host."""
    environ = os.environ if environ is None else environ
    value = environ.get(PUBLIC_ORIGIN_ENV, "").split()
    if not value:
        port = environ.get("REFLEX_FRONTEND_PORT", "").strip() or "3000"
        value = [f"http://localhost:{port}"]
    for origin in value:
        if not _ORIGIN.fullmatch(origin):
            raise SettingsError(f"{PUBLIC_ORIGIN_ENV}: {origin!r} is not an origin like https://infoshare.example.org")
    return tuple(dict.fromkeys(value))


def cors_origins(environ: dict[str, str] | None = None) -> list[str]:
    """The origins whose pages may call the widget from a browser: its own, and the listed intranets."""
    return list(dict.fromkeys((*public_origins(environ), *embed_origins(environ))))


def embed_origins(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """Origins allowed to frame the widget: the partnership file's, plus INFOSHARE_EMBED_ORIGINS."""
    environ = os.environ if environ is None else environ
    extra = tuple(o for o in environ.get(EMBED_ORIGINS_ENV, "").split() if o)
    for origin in extra:
        if not _ORIGIN.fullmatch(origin):
            raise SettingsError(f"{EMBED_ORIGINS_ENV}: {origin!r} is not an origin like https://intranet.example.org")
    partnership = get_partnership()
    from_partners = tuple(o for p in partnership.embed_partners for o in p.origins)
    return tuple(dict.fromkeys((*partnership.embed_origins, *from_partners, *extra)))


TRUSTED_PROXIES_ENV = "INFOSHARE_TRUSTED_PROXIES"


@functools.cache
def trusted_proxies() -> tuple:
    """The proxies whose X-Forwarded-For is believed (INFOSHARE_TRUSTED_PROXIES: addresses or networks,
    space or comma separated; none by default, so the header is ignored). See client_address.py."""
    from infoshare_widget.base.client_address import parse_proxies

    try:
        return parse_proxies(os.environ.get(TRUSTED_PROXIES_ENV, ""))
    except ValueError as exc:
        raise SettingsError(f"{TRUSTED_PROXIES_ENV}: {exc}") from None


PRIVATE_HEADERS_ENV = "INFOSHARE_PRIVATE_HEADERS"


def private_headers(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """Request headers that carry credentials besides the usual ones (an intranet's own single sign-on
    header, say): INFOSHARE_PRIVATE_HEADERS, space or comma separated. Never passed on to Reflex."""
    environ = os.environ if environ is None else environ
    names = tuple(n.strip().lower() for n in environ.get(PRIVATE_HEADERS_ENV, "").replace(",", " ").split())
    for name in names:
        if not re.fullmatch(r"[a-z0-9!#$%&'*+.^_`|~-]+", name):
            raise SettingsError(f"{PRIVATE_HEADERS_ENV}: {name!r} is not a header name")
    return names


