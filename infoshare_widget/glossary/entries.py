"""Glossary entries: the data model, validation and local overrides. Pure: no Reflex, no files.

Reading files is loading.py's job (the shipped YAML, and a partnership's YAML or CSV through
csv_io.py); this module only checks and merges what was read. Local entries replace shipped entries
with the same term and are marked as local. Every problem names the source, the entry and what is
wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from infoshare_widget.base.clock import add_months
from infoshare_widget.base.content_files import validation_problems

DISCIPLINES: dict[str, str] = {
    "social-care": "Social care",
    "health": "Health",
    "education": "Education",
    "police": "Police",
    "housing": "Housing",
    "early-help": "Early help",
    "youth-justice": "Youth justice",
    "legal": "Courts and legal",
    "send": "SEND",
    "domestic-abuse": "Domestic abuse",
    "information-governance": "Information governance",
    "adult-safeguarding": "Adult safeguarding",
    "probation": "Probation",
    "multi-agency": "Multi-agency",
}
LOCAL_SOURCE = "LOCAL"
# How long an entry stays current without a next_review of its own.
DEFAULT_REVIEW_MONTHS = 12


class GlossaryError(ValueError):
    """A glossary file is not valid; `problems` lists every problem, each naming the entry."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: the glossary is not valid:\n{listed}")


def slugify(term: str) -> str:
    """A stable URL slug: 'Children's guardian' -> 'childrens-guardian', 's47' -> 's47'."""
    text = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(min_length=1, max_length=500)


class Meaning(_Strict):
    expansion: str = Field(min_length=1, max_length=160)
    meaning: str = Field(min_length=1, max_length=400)
    disciplines: tuple[str, ...] = Field(min_length=1)
    source: str = Field(min_length=1)


class Entry(_Strict):
    term: str = Field(min_length=1, max_length=80)
    variants: tuple[str, ...] = ()
    meanings: tuple[Meaning, ...] = Field(min_length=1)
    related: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    # When the entry must be checked again; by default 12 months after it was reviewed (see
    # Glossary.review_due_on).
    next_review: dt.date | None = None
    local: bool = False

    @field_validator("term", "variants", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, list):
            return [v.strip() if isinstance(v, str) else v for v in value]
        return value

    @property
    def slug(self) -> str:
        """The entry's stable link: /glossary/<slug>."""
        return slugify(self.term)

    @property
    def expansion(self) -> str:
        """The usual meaning's expansion."""
        return self.meanings[0].expansion

    @property
    def disciplines(self) -> tuple[str, ...]:
        """Every discipline that uses the term, in any meaning, without repeats."""
        return tuple(dict.fromkeys(d for m in self.meanings for d in m.disciplines))

    @property
    def ambiguous(self) -> bool:
        """True when the term means different things to different people."""
        return len(self.meanings) > 1


class Glossary(_Strict):
    version: str = Field(min_length=1)
    last_reviewed: dt.date
    sources: dict[str, Source]
    entries: tuple[Entry, ...] = Field(min_length=1)

    @functools.cached_property
    def by_slug(self) -> dict[str, Entry]:
        """Entries by their slug."""
        return {entry.slug: entry for entry in self.entries}

    def review_due_on(self, entry: Entry) -> dt.date:
        """When an entry must be checked again: its next_review, else 12 months after it (or, without a
        date of its own, the glossary) was last reviewed."""
        return entry.next_review or add_months(entry.reviewed or self.last_reviewed, DEFAULT_REVIEW_MONTHS)

    def due_entries(self, today: dt.date) -> list[tuple[Entry, dt.date]]:
        """Entries past their review date, most overdue first, with that date."""
        due = [(entry, self.review_due_on(entry)) for entry in self.entries]
        return sorted(((e, d) for e, d in due if d < today), key=lambda pair: (pair[1], pair[0].term.casefold()))


def problems_in(glossary: Glossary) -> list[str]:
    """Every cross-entry problem: duplicates, unknown related terms, disciplines and sources."""
    problems: list[str] = []
    seen_terms: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for entry in glossary.entries:
        name = f"entry '{entry.term}'"
        key = entry.term.casefold()
        if key in seen_terms:
            problems.append(f"{name}: duplicate term (also '{seen_terms[key]}')")
        seen_terms.setdefault(key, entry.term)
        if not entry.slug:
            problems.append(f"{name}: the term has no letters or digits for a link")
        elif entry.slug in seen_slugs and seen_slugs[entry.slug].casefold() != key:
            problems.append(f"{name}: its link /glossary/{entry.slug} is already used by '{seen_slugs[entry.slug]}'")
        seen_slugs.setdefault(entry.slug, entry.term)
        for number, meaning in enumerate(entry.meanings, start=1):
            where = f"{name}, meaning {number}"
            if not meaning.meaning.strip():
                problems.append(f"{where}: missing meaning")
            unknown = [d for d in meaning.disciplines if d not in DISCIPLINES]
            if unknown:
                problems.append(f"{where}: unknown discipline(s) {', '.join(unknown)}")
            if meaning.source != LOCAL_SOURCE and meaning.source not in glossary.sources:
                problems.append(f"{where}: unknown source '{meaning.source}'")
            if meaning.source == LOCAL_SOURCE and not entry.local:
                problems.append(f"{where}: only a partnership's local entries may use the source LOCAL")
        if entry.next_review is not None and entry.reviewed is not None and entry.next_review <= entry.reviewed:
            problems.append(f"{name}: next_review must be after reviewed")
    terms = {entry.term.casefold() for entry in glossary.entries}
    for entry in glossary.entries:
        for related in entry.related:
            if related.casefold() not in terms:
                problems.append(f"entry '{entry.term}': related term '{related}' is not in the glossary")
    return problems


def _parse_entries(raw: object, source: str, *, local: bool) -> list[Entry]:
    if not isinstance(raw, list):
        raise GlossaryError(source, ["'entries' must be a list of entries"])
    entries: list[Entry] = []
    problems: list[str] = []
    for index, item in enumerate(raw, start=1):
        term = item.get("term") if isinstance(item, dict) else None
        name = f"entry '{term}'" if isinstance(term, str) and term else f"entry number {index}"
        if not isinstance(item, dict):
            problems.append(f"{name}: must be a mapping")
            continue
        try:
            entries.append(Entry.model_validate({**item, "local": local}))
        except ValidationError as exc:
            problems += validation_problems(exc, f"{name}: ")
    if problems:
        raise GlossaryError(source, problems)
    return entries


def parse_local_entries(raw: object, source: str) -> list[Entry]:
    """A partnership's own entries (parsed YAML: a list of entries), marked local; or GlossaryError."""
    return _parse_entries(raw, source, local=True)


def parse_glossary(data: object, source: str = "<glossary>") -> Glossary:
    """Validate parsed YAML data of a whole glossary, or raise GlossaryError."""
    if not isinstance(data, dict):
        raise GlossaryError(source, ["the file must hold a mapping at the top level"])
    entries = _parse_entries(data.get("entries"), source, local=False)
    try:
        glossary = Glossary.model_validate({**data, "entries": entries})
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise GlossaryError(source, problems) from None
    problems = problems_in(glossary)
    if problems:
        raise GlossaryError(source, problems)
    return glossary


def merge_local(glossary: Glossary, local: list[Entry], source: str) -> Glossary:
    """Local entries added to, or replacing by term, the shipped ones; validated as a whole."""
    replaced = {entry.term.casefold() for entry in local}
    merged = [e for e in glossary.entries if e.term.casefold() not in replaced]
    merged += [entry.model_copy(update={"local": True}) for entry in local]
    result = glossary.model_copy(update={"entries": tuple(merged)})
    result.__dict__.pop("by_slug", None)
    problems = problems_in(result)
    if problems:
        raise GlossaryError(source, problems)
    return result
