"""Write the shared cases from the Python rules: `python -m tests.support.shared_cases` (from the project).

Three rules run both on the server (Python) and in the browser (assets/*.js): walking the chart
(flowchart/engine.py, assets/flow.js), ranking the glossary (glossary/search.py,
assets/glossary-search.js) and who is open now (hours.py, assets/hours.js). For each, one file here
holds the data the page carries (written by the same functions the app uses) and cases: inputs, and
what the Python answers to them. Nothing in them is written by hand.

  tests/unit/test_shared_cases.py  the Python answers each case as written, and each file is what
                                   this script writes now (else: regenerate, review the diff)
  tests/js/*.test.mjs              the JavaScript answers each case the same (node --test tests/js/;
                                   tests/unit/test_js_cases.py runs it under pytest)

After a deliberate change to a rule on the Python side, run this script, review the diff of the
cases it changes, and make the JavaScript agree.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
COMMAND = "python -m tests.support.shared_cases"


def _about(rule: str, python: str, javascript: str) -> str:
    return (f"{rule}: written by `{COMMAND}` from {python}; {javascript} must give the same answers "
            "(tests/js/). Do not edit by hand: change the Python, regenerate, review the diff.")


# -- flow: walking the chart ---------------------------------------------------------------------


def flow_answer(chart, answers: Any, stop_at: str | None) -> dict:
    """What engine.py makes of these answers: where the walk stands (walk); or, where check_answers
    refuses them, its problems and which answers it would accept on their own."""
    from infoshare_widget.flowchart.engine import AnswerError, check_answers, walk

    try:
        clean = check_answers(chart, answers)
    except AnswerError as error:
        accepted: dict[str, str] = {}
        for node, answer in answers.items() if isinstance(answers, Mapping) else ():
            try:
                accepted.update(check_answers(chart, {node: answer}))
            except AnswerError:
                pass
        return {"problems": error.problems, "accepted": accepted}
    position = walk(chart, clean, stop_at)
    return {
        "path": [[step.node, step.answer] for step in position.path],
        "question": position.question,
        "outcome": position.outcome,
        "about": position.about,
        "ignored": list(position.ignored),
    }


def _flow_inputs(chart) -> list[tuple[str, Any, str | None]]:
    """(name, answers, stop_at): every walk, every step on the way, going back to a question on it,
    answers off the path, a question skipped, and answers that cannot be used."""
    from infoshare_widget.flowchart.chart import ANSWERS

    walks = chart.walks()
    inputs: list[tuple[str, Any, str | None]] = [("no answers yet", {}, None)]
    label = {tuple(answers.items()): f"walk {n} to {outcome}" for n, (answers, outcome) in enumerate(walks, start=1)}
    for answers, _ in walks:
        inputs.append((label[tuple(answers.items())], answers, None))
    seen: set[tuple] = set()
    for answers, _ in walks:
        items = list(answers.items())
        for length in range(1, len(items)):
            key = tuple(items[:length])
            if key not in seen:
                seen.add(key)
                inputs.append((f"on the way: {len(key)} answered", dict(key), None))
    # Going back to a question (Back, Change): to each question of the longest walk, and to the
    # first and the last of every walk.
    longest = max((answers for answers, _ in walks), key=len)
    for question in longest:
        inputs.append((f"{label[tuple(longest.items())]}, back at {question}", longest, question))
    for answers, _ in walks:
        if answers is not longest:
            for question in dict.fromkeys((next(iter(answers)), list(answers)[-1])):
                inputs.append((f"{label[tuple(answers.items())]}, back at {question}", answers, question))
    for answers, outcome in walks:
        name = label[tuple(answers.items())]
        # Answers to every question off the path first (they are ignored, in the order given).
        off = [q for q in chart.questions if q not in answers]
        extra = {q: ANSWERS[n % len(ANSWERS)] for n, q in enumerate(off)}
        inputs.append((f"{name}, with every other question answered too", {**extra, **answers}, None))
        # One question on the path left out: the walk stops there; later answers are ignored.
        if len(answers) > 1:
            question = list(answers)[(len(answers) - 1) // 2]
            skipped = {q: a for q, a in answers.items() if q != question}
            inputs.append((f"{name}, {question} not answered", skipped, None))
    first_walk = walks[0][0]
    last_walk = walks[-1][0]
    inputs += [
        ("back at the start question with nothing answered", {}, chart.start),
        ("stopping at an outcome id changes nothing", last_walk, walks[-1][1]),
        ("stopping at an unknown id changes nothing", last_walk, "no_such_question"),
        ("stopping at an empty id changes nothing", last_walk, ""),
        ("stopping at a question off the path changes nothing", first_walk,
         next(q for q in chart.questions if q not in first_walk)),
    ]
    start = chart.start
    second = chart.questions[start].answers["no"]
    bad: list[tuple[str, Any]] = [
        ("an unknown question id", {"no_such_question": "yes"}),
        ("an outcome id as a question", {walks[0][1]: "yes"}),
        ("an empty question id", {"": "yes"}),
        ("a question id in capitals", {start.upper(): "yes"}),
        ("__proto__ as a question id", {"__proto__": "yes"}),
        ("constructor as a question id", {"constructor": "no"}),
        ("toString as a question id", {"toString": "unsure"}),
        ("hasOwnProperty as a question id", {"hasOwnProperty": "yes"}),
        ("an unknown answer", {start: "maybe"}),
        ("an answer's label, not its value", {start: "Not sure"}),
        ("an answer in capitals", {start: "Yes"}),
        ("an answer with a space", {start: " yes"}),
        ("an empty answer", {start: ""}),
        ("a null answer", {start: None}),
        ("a number as the answer", {start: 1}),
        ("true as the answer", {start: True}),
        ("false as the answer", {start: False}),
        ("a list as the answer", {start: ["yes"]}),
        ("an object as the answer", {start: {"yes": True}}),
        ("good and bad answers together", {start: "no", second: "perhaps", "no_such_question": "yes"}),
        ("a bad answer after a complete walk", {**last_walk, "no_such_question": "no"}),
        ("a list, not an object", ["yes"]),
        ("an empty list", []),
        ("a string, not an object", "yes"),
        ("null, not an object", None),
        ("a number, not an object", 3),
        ("true, not an object", True),
    ]
    inputs += [(name, answers, None) for name, answers in bad]
    return inputs


def flow_cases() -> dict:
    from infoshare_widget.flowchart.chart import get_chart
    from infoshare_widget.flowchart.client import flow_table

    chart = get_chart()
    cases = [{"name": name, "answers": answers, "stop_at": stop_at, "expect": flow_answer(chart, answers, stop_at)}
             for name, answers, stop_at in _flow_inputs(chart)]
    return {
        "about": _about("Walking the chart", "infoshare_widget/flowchart/engine.py (check_answers, walk) over "
                        "the shipped chart", "assets/flow.js"),
        # window.INFOSHARE_FLOW, as flowchart/client.py writes it into every page.
        "page_data": _as_json(flow_table(chart)),
        "cases": cases,
    }


# -- hours: who is open now, in UK time ----------------------------------------------------------

# Each partnership the hours cases use: the shipped example, and variants of it.
ODD_HOURS = {
    "monday": "all day",
    "saturday": ["00:00-00:01", "23:59-24:00"],
    # The hour the clocks skip in March and repeat in October.
    "sunday": "01:00-02:00",
    "bank_holiday": "10:00-12:00",
}


def hours_partnerships() -> dict:
    """name -> Partnership: the example; with odd hours for the LADO; with its bank-holiday list
    known only to its last date; with no bank holidays at all."""
    import yaml

    from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE, Partnership

    data = yaml.safe_load(EXAMPLE_PARTNERSHIP_FILE.read_text(encoding="utf-8"))
    odd = {**data, "lado": {**data["lado"], "open": ODD_HOURS}}
    last_holiday = {key: value for key, value in data.items() if key != "bank_holidays_until"}
    none_listed = {key: value for key, value in data.items() if key not in ("bank_holidays", "bank_holidays_until")}
    return {name: Partnership.model_validate(value) for name, value in
            [("example", data), ("odd_hours", odd), ("known_to_last_holiday", last_holiday),
             ("no_bank_holidays", none_listed)]}


def _utc(text: str) -> str:
    """A moment as the cases write it: UTC, ISO 8601, with milliseconds."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _uk(day: str, time: str) -> str:
    """A UK wall-clock time (which must exist and be unambiguous) as a UTC moment."""
    from infoshare_widget.base.clock import UK

    return _utc(dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=UK).isoformat())


def _hours_moments() -> list[tuple[str, str, str]]:
    """(table, what the moment checks, UTC moment)."""
    moments: list[tuple[str, str, str]] = []

    def add(tables: tuple[str, ...], note: str, *at: str) -> None:
        moments.extend((table, note, moment) for table in tables for moment in at)

    every = ("example", "odd_hours")
    # Opening and closing, in winter (GMT) and summer (BST): the start minute is open, the end one not.
    for season, tuesday, friday in (("GMT", "2026-12-01", "2026-12-04"), ("BST", "2026-07-07", "2026-07-10")):
        add(every, f"a Tuesday around opening and closing ({season})",
            *(_uk(tuesday, t) for t in ("00:00", "08:44", "08:44:59.999", "08:45", "08:46", "12:00", "17:14",
                                        "17:14:59.999", "17:15", "17:16", "23:59", "23:59:59.999")))
        add(every, f"a Friday around the earlier closing ({season})",
            *(_uk(friday, t) for t in ("16:44", "16:44:59.999", "16:45", "16:46", "17:15")))
    # Weekends, and the midnights either side.
    add(every, "the weekend and the midnights either side",
        _uk("2026-12-04", "23:59"), _uk("2026-12-05", "00:00"), _uk("2026-12-05", "00:01"),
        _uk("2026-12-05", "10:00"), _uk("2026-12-05", "23:59"), _uk("2026-12-06", "00:00"),
        _uk("2026-12-06", "10:00"), _uk("2026-12-06", "23:59:59.999"), _uk("2026-12-07", "00:00"),
        _uk("2026-12-07", "08:45"), _uk("2026-06-13", "12:00"), _uk("2026-06-14", "12:00"))
    # Bank holidays: Christmas on a Friday, the substitute Monday, one in summer time (it starts at
    # 23:00 UTC the day before), Good Friday and Easter Monday around the March clock change, the
    # first on the list, and a day before the list starts (an ordinary day then).
    add(every, "bank holidays",
        _uk("2026-12-25", "10:00"), _uk("2026-12-28", "00:00"), _uk("2026-12-28", "08:45"),
        _uk("2026-12-28", "10:00"), _uk("2026-12-28", "11:59"), _uk("2026-12-28", "12:00"),
        _uk("2026-12-28", "23:59"), _uk("2026-12-29", "00:00"), _uk("2026-12-29", "08:45"),
        _uk("2026-05-03", "23:59"), _uk("2026-05-04", "00:00"), _uk("2026-05-04", "10:30"),
        _uk("2026-05-04", "23:59"), _uk("2026-05-05", "08:45"), _uk("2027-03-26", "10:00"),
        _uk("2027-03-29", "10:00"), _uk("2026-01-01", "10:00"), _uk("2025-12-25", "10:00"),
        _uk("2025-12-26", "10:00"))
    # Both clock changes, in both years: every 15 minutes from 22:30 UTC the day before to 03:30 UTC,
    # and either side of 01:00 UTC, when they change.
    for change in ("2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"):
        start = dt.datetime.fromisoformat(f"{change}T00:00:00+00:00") - dt.timedelta(minutes=90)
        sweep = [_utc((start + dt.timedelta(minutes=15 * n)).isoformat()) for n in range(21)]
        add(every, f"the clock change on {change}", *sweep, _utc(f"{change}T00:59:59.999+00:00"),
            _utc(f"{change}T01:00:00+00:00"))
        monday = (dt.date.fromisoformat(change) + dt.timedelta(days=1)).isoformat()
        add(every, f"the Monday after the clock change on {change}", _uk(monday, "08:44"), _uk(monday, "08:45"),
            _uk(monday, "17:15"))
    # The end of what the bank-holiday list covers: after it, unknown (never a guess).
    add(("example", "odd_hours"), "the end of the bank-holiday list (2027-12-31)",
        _uk("2027-12-28", "10:00"), _uk("2027-12-31", "12:00"), _uk("2027-12-31", "23:59:59.999"),
        _uk("2028-01-01", "00:00"), _uk("2028-01-03", "10:00"), _uk("2028-07-03", "10:00"),
        _uk("2031-01-06", "10:00"))
    add(("known_to_last_holiday",), "a list known only to its last holiday (2027-12-28)",
        _uk("2027-12-24", "10:00"), _uk("2027-12-28", "10:00"), _uk("2027-12-28", "23:59:59.999"),
        _uk("2027-12-29", "00:00"), _uk("2027-12-29", "10:00"))
    add(("no_bank_holidays",), "no bank holidays listed: never known",
        _uk("2026-12-01", "10:00"), _uk("2026-12-25", "10:00"), _uk("2026-07-07", "10:00"),
        _uk("2020-01-06", "10:00"))
    # A fortnight over Christmas and New Year, every 97 minutes.
    start = dt.datetime.fromisoformat("2026-12-21T00:00:00+00:00")
    add(("example",), "a fortnight over Christmas, every 97 minutes",
        *(_utc((start + dt.timedelta(minutes=97 * n)).isoformat()) for n in range(14 * 24 * 60 // 97)))
    return moments


def hours_answer(partnership, at: str) -> dict:
    """What the Python says at `at`: the UK date, day and minute (as open_at reads them), and whether
    each contact is open (open_now, as the API answers)."""
    from infoshare_widget.base.clock import UK
    from infoshare_widget.flowchart.chart_view_model import open_now
    from infoshare_widget.base.hours import DAYS

    moment = dt.datetime.fromisoformat(at)
    local = moment.astimezone(UK)
    return {
        "uk": {"date": local.date().isoformat(), "day": DAYS[local.weekday()], "minute": local.hour * 60 + local.minute},
        "open": {key: open_now(contact, partnership, moment) for key, contact in partnership.contacts_by_key().items()},
    }


def hours_cases() -> dict:
    from infoshare_widget.flowchart.chart_view_model import hours_table

    partnerships = hours_partnerships()
    cases = [{"table": table, "note": note, "at": at, "expect": hours_answer(partnerships[table], at)}
             for table, note, at in _hours_moments()]
    return {
        "about": _about("Who is open now", "infoshare_widget/base/hours.py (open_at, through flowchart/chart_view_model.open_now) "
                        "for the example partnership and variants of it", "assets/hours.js"),
        # window.INFOSHARE_HOURS for each partnership, as the app writes it (flowchart/chart_view_model.hours_table).
        "page_data": {name: _as_json(hours_table(partnership)) for name, partnership in partnerships.items()},
        "cases": cases,
    }


# -- glossary search -----------------------------------------------------------------------------

# Queries that say what they check (more come from the glossary itself and the relevance table).
ODD_QUERIES = [
    "", " ", "\t\n ", "a", "s", "st", "x" * 300, "café", "CAFÉ", "naïve", "’", "'", "''", "children's", "childrens",
    "CHILDREN'S guardian", "children’s guardian", "CHILDREN’S GUARDIAN", "👶", "👶 safeguarding", "ﬁre", "Straße", "ß",
    "İ", "<script>alert(1)</script>", "' OR 1=1 --", "%", "\\", "\u0000", "s\u000047", "s-47", "s.47", "s/47", "S 47",
    "s47!!!", "    lado    ", "LaDo", "l a d o", "c a m h s", "1", "47", "2026", "99999999999999999999", "Q4 2026",
    "front", "sar", "led", "zzzz", "qwertyuiop", "marrac", "camhss", "sgo order", "lado officer xyz", "child in", "the of", "of the children", "at the", "in",
    "emergancy protection order", "desginated safeguarding led", "strategy discusion", "stratgey discusion",
    "child protecton plan", "marrac", "camhss", "lado officer xyz", "sgo order", "safeguarding", "plan", "child",
    "order", "meeting", "police", "health", "school", "court", "abuse", "consent", "share", "sharing",
    "information sharing", "data", "protection", "risk", "harm", "significant", "signficant harm", "harm significant",
    "assessment", "assesment", "asessment", "referal", "refferal", "conferance", "guardain", "safegaurding",
    # The longest query (MAX_QUERY_CHARS): what lies past it is not read.
    "lado" + " " * 194 + "marac", "x" * 196 + " lado", "x" * 197 + " lado", "lado " + "x" * 195 + "marac",
    "👶" * 100 + " lado", "é" * 150 + " lado",
]


def _number_queries() -> list[str]:
    from infoshare_widget.glossary.search import browser_rules

    rules = browser_rules()
    words = [*rules["small_numbers"], *rules["tens"]]
    return [*(f"section {word}" for word in words), "section forty-seven", "section forty seven", "forty seven",
            "one hundred and one", "nine hundred and ninety nine", "two hundred", "hundred", "one hundred and",
            "seventy seven", "section twenty one", "one two three", "zero", "section seventeen", "article eight",
            "schedule two", "part seven", "children act nineteen eighty nine", "twelve months"]


def _typos(word: str) -> list[str]:
    """A word with one slip each: two letters swapped, one left out, one doubled, one wrong."""
    if len(word) < 3:
        return []
    middle = len(word) // 2
    swapped = word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]
    return [swapped, word[:middle] + word[middle + 1 :], word[:middle] + word[middle] + word[middle:],
            word[:-1] + ("x" if word[-1] != "x" else "y")]


def _glossary_queries(index) -> list[tuple[str, str, int]]:
    """(query, discipline, limit)."""
    from infoshare_widget.glossary.entries import DISCIPLINES
    from infoshare_widget.glossary.search import STOP_WORDS
    from tests.support.relevance import ROWS

    queries: list[tuple[str, str, int]] = []
    seen: set[tuple[str, str, int]] = set()

    def add(query: str, discipline: str = "", limit: int = 20) -> None:
        if (query, discipline, limit) not in seen:
            seen.add((query, discipline, limit))
            queries.append((query, discipline, limit))

    for query, _ in ROWS:
        add(query)
    for query in ODD_QUERIES:
        add(query)
    for query in _number_queries():
        add(query)
    for word in sorted(STOP_WORDS):
        add(word)
    # Every name in the glossary, exactly as written: terms and expansions with the next two
    # entries, variants with the first only.
    for entry in index.entries:
        for name in (entry.term, *(m.expansion for m in entry.meanings)):
            add(name, limit=3)
        for name in entry.variants:
            add(name, limit=1)
    # Typing a few names a key at a time.
    samples = [e for n, e in enumerate(index.entries) if n % 31 == 0]
    for entry in samples:
        name = entry.meanings[0].expansion
        for end in range(1, len(name) + 1):
            add(name[:end], limit=10)
    # Slips: in names, and in single words of each length the typo allowance changes at (3, 4, 7, 8, 9).
    for entry in (e for n, e in enumerate(index.entries) if n % 7 == 0):
        for name in (entry.term, entry.meanings[0].expansion):
            words = name.split()
            longest = max(range(len(words)), key=lambda i: len(words[i]))
            for slip in _typos(words[longest]):
                add(" ".join([*words[:longest], slip, *words[longest + 1 :]]), limit=10)
    by_length: dict[int, list[str]] = {}
    for word in index._vocabulary:
        if word.isalpha():
            by_length.setdefault(len(word), []).append(word)
    for length in (3, 4, 5, 7, 8, 9, 12):
        for word in by_length.get(length, [])[::97][:4]:
            for slip in _typos(word):
                add(slip, limit=10)
            add(word[::-1], limit=10)
    # Names mangled past finding (for 'did you mean'): without their vowels, and backwards.
    for entry in (e for n, e in enumerate(index.entries) if n % 13 == 0):
        expansion = entry.meanings[0].expansion
        add("".join(c for c in expansion if c.lower() not in "aeiou"), limit=10)
        add(expansion[::-1], limit=10)
    # Two words from an entry's meaning (found only there: the lower tier).
    for entry in (e for n, e in enumerate(index.entries) if n % 11 == 0):
        words = [w for w in entry.meanings[0].meaning.split() if len(w) > 4][:2]
        if len(words) == 2:
            add(" ".join(words), limit=10)
    # Each discipline, and one that does not exist, for a spread of queries.
    spread = ["plan", "s47", "strategy", "child protection", "consent", "lado", "marak", "referral", "court order",
              "section forty seven", "data", "school", "", "zzzz", "health", "emergancy protection order"]
    for discipline in [*DISCIPLINES, "astrology"]:
        for query in spread:
            add(query, discipline, limit=10)
    # Limits.
    for limit in (-1, 0, 1, 2, 5, 50, 400):
        add("plan", limit=limit)
        add("child", limit=limit)
    return queries


def shipped_index():
    """The search index over the shipped glossary (never a partnership's local file)."""
    from infoshare_widget.glossary.loading import DEFAULT_GLOSSARY_PATH, load_glossary
    from infoshare_widget.glossary.search import SearchIndex

    return SearchIndex(load_glossary(DEFAULT_GLOSSARY_PATH).entries)


def glossary_answer(index, query: str, discipline: str, limit: int) -> dict:
    """What search.py answers: the entries found, best first, with their scores; and where it finds
    none, its 'did you mean' entries for the query (as SearchIndex.lookup and the page offer them)."""
    hits = index.search(query, discipline=discipline or None, limit=limit)
    answer: dict = {"hits": [[hit.entry.slug, hit.score] for hit in hits]}
    if not hits:
        answer["suggestions"] = [entry.slug for entry in index.suggestions(query)]
    return answer


def glossary_cases() -> dict:
    from infoshare_widget.glossary.entries import DISCIPLINES
    from infoshare_widget.glossary.pages import search_data

    index = shipped_index()
    cases = [{"query": query, "discipline": discipline, "limit": limit,
              "expect": glossary_answer(index, query, discipline, limit)}
             for query, discipline, limit in _glossary_queries(index)]
    browse = [{"discipline": discipline, "expect": [entry.slug for entry in index.browse(discipline or None)]}
              for discipline in ["", *DISCIPLINES, "astrology"]]
    return {
        "about": _about("Glossary search", "infoshare_widget/glossary/search.py (SearchIndex.search, suggestions, "
                        "browse) over the shipped glossary", "assets/glossary-search.js"),
        # The page's <script id="glossary-index">, as glossary/pages.search_data writes it.
        "page_data": json.loads(search_data(index.entries)),
        "cases": cases,
        "browse": browse,
    }


# -- writing -------------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[], dict]] = {
    "flow": flow_cases,
    "glossary_search": glossary_cases,
    "hours": hours_cases,
}
# How deep each part of a file is laid out over lines (deeper: one line), so that a change shows as
# the few lines of the cases it changes.
_DEPTHS = {"page_data": 3, "cases": 1, "browse": 1}


def _as_json(value: Any) -> Any:
    """The value as the page's JSON reads back (tuples as lists)."""
    return json.loads(json.dumps(value))


def _dump(value: Any, depth: int, indent: str = "") -> str:
    line = json.dumps(value, ensure_ascii=False)
    if depth <= 0 or not isinstance(value, dict | list) or len(line) <= 100:
        return line
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {_dump(item, depth - 1, inner)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    return "[\n" + ",\n".join(f"{inner}{_dump(item, depth - 1, inner)}" for item in value) + f"\n{indent}]"


def render(document: dict) -> str:
    """A case file's text: stable, one case to a line."""
    parts = [f' {json.dumps(key)}: {_dump(value, _DEPTHS.get(key, 0), " ")}' for key, value in document.items()]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def path_of(name: str) -> Path:
    return CASES_DIR / f"{name}.json"


def main(argv: list[str]) -> int:
    names = argv or list(BUILDERS)
    unknown = [name for name in names if name not in BUILDERS]
    if unknown:
        print(f"unknown case file {', '.join(unknown)}: choose from {', '.join(BUILDERS)}", file=sys.stderr)
        return 2
    for name in names:
        text = render(BUILDERS[name]())
        path = path_of(name)
        before = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")
        count = len(json.loads(text)["cases"])
        state = "unchanged" if before == text else "written"
        print(f"{path.relative_to(CASES_DIR.parents[1])}: {count} cases, {state}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
