"""The README is a short front page and docs/ holds the rest, one page per reader. These tests keep it
so: the README stays under 2,000 words, no link or anchor points at nothing, every section of the old
README (commit 8440b86, about 14,300 words) still has a page that holds it, and no page falls back to
the old command names. Each check is a plain function, tried on a broken example first, so a check
that can no longer fail is caught too."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
# Pages written for a reader; the legal review is a record of its own and stays as it is.
READER_PAGES = ["practitioners.md", "partnership.md", "embedding.md", "operations.md", "security.md",
                "insight.md", "benchmarks.md", "architecture.md"]
MAX_README_WORDS = 2000

# Every ##/### heading of the old README (git show 8440b86:README.md), the page that now holds it,
# and what that page must contain: a heading of its own for the topic, and facts from the old text.
OLD_SECTIONS = [
    ("The two commands", "operations.md", "The two commands",
     ["fresh Debian machine", "PORT=8080 make run", "GRANIAN_WORKERS=2", "`.ci/run` runs `make test`"]),
    ("What it does today", "practitioners.md", "Deciding whether to share",
     ["Not sure whether anyone is in danger now", "Respect their decision for now", "IS-7K3Q-9PXD",
      "terms and acronyms across", "Exit this page", "High contrast", "The records database did not answer, so nothing was saved or done"]),
    ("Run by organisations: levels, two-factor, the admin area, the access log, retention", "security.md",
     "Run by organisations: levels, two-factor, the admin area, the access log, retention",
     ["| record a decision | yes | yes | no | no |", "Two-factor for lead, admin and auditor", "/reset-password",
      "`access_log` table", "Retention and subject access requests"]),
    ("Insight: where practitioners are unsure, and whether agencies do what they said", "insight.md",
     "Insight: where practitioners are unsure, and whether agencies do what they said",
     ["fewer than 5", "count_unrecorded_walks", "/api/v1/insight?from=YYYY-MM-DD", "linear algebra"]),
    ("Privacy by design", "security.md", "Privacy by design",
     ["@not_kept", "INFOSHARE_PRIVATE_HEADERS", "byte by byte", "Strict-Transport-Security"]),
    ("Where things go", "architecture.md", "The code map",
     ["rxconfig.py", "csv_safety.py", "embed-frame.js", "tests/e2e/"]),
    ("Configure a partnership", "partnership.md", "Configure a partnership",
     ["INFOSHARE_PARTNERSHIP_FILE", "bank_holidays_until", "exit_page", "agencies"]),
    ("Local terms", "partnership.md", "Local terms",
     ["glossary-import", "term, expansion, meaning, disciplines, variants, related, source, reviewed"]),
    ("Keeping the decision content current", "partnership.md", "Keeping the decision content current",
     ["content-review --stamp", "grace_days", "watch list", "asked_by_partners"]),
    ("Embedding", "embedding.md", "Embedding",
     ["data-compact", "setToken", "embed_partners", "frame-ancestors", "demo_intranet.py"]),
    ("Run at scale", "operations.md", "Run at scale",
     ["nginx.conf.template", "infoshare@3001", "INFOSHARE_TRUSTED_PROXIES", "tests/e2e/test_scale.py"]),
    ("When a part fails", "operations.md", "When a part fails",
     ["Redis hangs", "/_health", "within 8 seconds", "PostgreSQL is down"]),
    ("Benchmarks", "benchmarks.md", "Benchmarks: the latest figures",
     ["7 December 2026", "226.1 KiB", "0.18 ms", "94.9 / 98.2 ms", "78.4 ms", "767 ms, 905 ms", "491 ms",
      "10.6 s"]),
    ("Dependencies and why", "architecture.md", "Dependencies and why",
     ["| reflex[db] 0.10.1 |", "bun 1.4.5 (npm)", "| segno |"]),
    ("Tests", "architecture.md", "Tests",
     ["pytest-timeout", "75 minutes", "tests/conftest.py", "every level by every action"]),
]

# Facts that must not be lost in the move: every setting the old README named.
OLD_ENVIRONMENT = [
    "GRANIAN_WORKERS", "INFOSHARE_API_KEYS", "INFOSHARE_BENCH_RAMP", "INFOSHARE_BENCH_USERS",
    "INFOSHARE_EMBED_ORIGINS", "INFOSHARE_GLOSSARY_BROWSER_MAX", "INFOSHARE_GLOSSARY_FILE",
    "INFOSHARE_PARTNERSHIP_FILE", "INFOSHARE_PRIVATE_HEADERS", "INFOSHARE_PUBLIC_ORIGIN",
    "INFOSHARE_REDIS_TIMEOUT_SECONDS", "INFOSHARE_SESSION_IDLE_MINUTES", "INFOSHARE_SQL_LOG",
    "INFOSHARE_TRUSTED_PROXIES", "REFLEX_API_URL", "REFLEX_DB_URL", "REFLEX_FRONTEND_PORT", "REFLEX_REDIS_URL",
]

# The command line is one program with subcommands now; these older forms must not come back.
OLD_COMMANDS = ["python -m infoshare_widget.records", "python -m infoshare_widget.flowchart",
                "python -m infoshare_widget.glossary", "python -m infoshare_widget.serve", "reflex db migrate"]

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _prose(text: str) -> str:
    """The text without fenced code blocks, where brackets and # lines are code, not links or headings."""
    return FENCE.sub("", text)


def words(text: str) -> int:
    return len(text.split())


def headings(text: str) -> list[str]:
    return [match.group(2) for match in HEADING.finditer(_prose(text))]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in headings(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(text: str) -> list[str]:
    return LINK.findall(CODE_SPAN.sub("", _prose(text)))


def _has_anchor(page: Path, anchor: str) -> bool:
    return page.suffix == ".md" and anchor in anchors(page.read_text(encoding="utf-8"))


def broken_links(page: Path) -> list[str]:
    """Every relative link of a page whose file, or whose anchor in that file, does not exist."""
    broken = []
    for target in links(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # http:, https:, mailto: are not checked here
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        if not where.exists() or (anchor and not _has_anchor(where, anchor)):
            broken.append(target)
    return broken


def missing_topic(page_text: str, heading: str, facts: list[str]) -> list[str]:
    """What a page lacks of a moved section: its heading, and each fact carried from the old text."""
    missing = [] if heading in headings(page_text) else [f"heading {heading!r}"]
    return missing + [fact for fact in facts if fact not in page_text]


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# The checks, on broken examples: each must find the fault it is there to find.

def test_the_checks_find_what_they_are_for(tmp_path):
    (tmp_path / "there.md").write_text("# There\n\n## A part: with, punctuation\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("[ok](there.md) [ok](there.md#a-part-with-punctuation) [web](https://example.org/x)\n"
                    "[gone](missing.md) [no anchor](there.md#nowhere) ![img](missing.png) [self](#page)\n"
                    "```\n[not a link](inside-code.md)\n# not a heading\n```\n`[code](span.md)`\n# Page\n",
                    encoding="utf-8")
    assert broken_links(page) == ["missing.md", "there.md#nowhere", "missing.png"]
    assert headings(page.read_text(encoding="utf-8")) == ["Page"]
    assert missing_topic("## Local terms\n\nglossary-import", "Local terms", ["glossary-import", "semicolons"]) \
        == ["semicolons"]
    assert missing_topic("Local terms", "Local terms", []) == ["heading 'Local terms'"]
    assert words("one two\nthree") == 3


def test_slugs_are_github_s():
    assert slug("Run by organisations: levels, two-factor, the admin area") == \
        "run-by-organisations-levels-two-factor-the-admin-area"
    assert slug("Records: kept, chained, never changed") == "records-kept-chained-never-changed"
    assert anchors("## Tests\n\n## Tests\n") == {"tests", "tests-1"}


# The pages.

def test_the_readme_is_under_2000_words():
    count = words(README.read_text(encoding="utf-8"))
    assert count < MAX_README_WORDS, f"README.md has {count} words; move detail to the docs/ page for its reader"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_exists(page):
    assert broken_links(page) == []


@pytest.mark.parametrize("name", READER_PAGES)
def test_each_page_names_its_reader_first(name):
    text = _text(name)
    first = next(line for line in text.splitlines()[1:] if line.strip())
    assert first.startswith("For "), f"docs/{name} should open by naming who it is for"


def test_the_readme_links_every_reader_s_page():
    linked = {Path(target.partition("#")[0]).name for target in links(README.read_text(encoding="utf-8"))}
    assert set(READER_PAGES) <= linked


@pytest.mark.parametrize(("old", "page", "heading", "facts"), OLD_SECTIONS, ids=[s[0][:30] for s in OLD_SECTIONS])
def test_every_section_of_the_old_readme_has_a_home(old, page, heading, facts):
    assert (DOCS / page).exists(), f"the old README's {old!r} should live in docs/{page}"
    assert missing_topic(_text(page), heading, facts) == [], f"docs/{page} lost part of the old {old!r}"


def test_the_old_readme_s_headings_are_all_listed():
    # The old README had these 15 headings at levels 2 and 3, each listed once above.
    assert len({old for old, *_ in OLD_SECTIONS}) == len(OLD_SECTIONS) == 15


def _all_docs() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


@pytest.mark.parametrize("name", OLD_ENVIRONMENT)
def test_every_setting_the_old_readme_named_is_still_documented(name):
    assert name in _all_docs()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_page_uses_the_old_command_names(page):
    text = page.read_text(encoding="utf-8")
    assert [old for old in OLD_COMMANDS if old in text] == [], "use python -m infoshare_widget <subcommand>"


@pytest.mark.parametrize("page", [README, *(DOCS / name for name in READER_PAGES)], ids=lambda p: p.name)
def test_the_law_cited_is_current(page):
    # UK GDPR and the Data Protection Act 2018; the 1998 Act is only history, in the legal review.
    assert "Data Protection Act 1998" not in page.read_text(encoding="utf-8")


TEST_NAMED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_test_a_page_names_exists(page):
    missing = []
    for path, test in sorted(set(TEST_NAMED.findall(page.read_text(encoding="utf-8")))):
        source = ROOT / path
        defined = source.exists() and (
            not test or re.search(rf"^def {test}\(", source.read_text(encoding="utf-8"), re.MULTILINE))
        if not defined:
            missing.append(f"{path}::{test}" if test else path)
    assert missing == []


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[=<>!~ ;]", requirement, maxsplit=1)[0].lower()


def test_every_dependency_says_why_it_is_there():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"].values()
    pinned = [*project["dependencies"], *(requirement for extra in extras for requirement in extra)]
    text = _text("architecture.md")
    table = text[text.index("## Dependencies and why"):]
    rows = [row.split("|")[1].lower() for row in table.splitlines() if row.startswith("| ")]
    # "reflex[db] 0.10.1", "sqlmodel, alembic", "bun 1.4.5 (npm)": the names without extras or notes.
    bare = [re.sub(r"\[[^\]]*\]|\([^)]*\)", "", row) for row in rows]
    named = {name for row in bare for name in re.split(r"[,\s]+", row) if name}
    unexplained = [r for r in pinned if _requirement_name(r) not in named]
    assert unexplained == [], "add a row to docs/architecture.md, 'Dependencies and why'"


@pytest.mark.parametrize("page", ["README.md", "docs/practitioners.md"])
def test_the_glossary_s_size_is_as_shipped(page):
    """The number of terms and disciplines a page states is the shipped glossary's (it grows with
    the content: a page must not go on stating an old count)."""
    from infoshare_widget.glossary.entries import DISCIPLINES
    from infoshare_widget.glossary.loading import DEFAULT_GLOSSARY_PATH, load_glossary

    text = (ROOT / page).read_text(encoding="utf-8")
    stated = re.search(r"(\d+) terms and acronyms across (\d+) disciplines", text)
    assert stated, f"{page} no longer says how many terms the glossary has"
    shipped = load_glossary(DEFAULT_GLOSSARY_PATH)
    assert (int(stated[1]), int(stated[2])) == (len(shipped.entries), len(DISCIPLINES)), page
