"""Glossary files: validation by entry, local overrides, CSV import with line numbers, export."""

import copy
import csv
import io
import json

import pytest

from infoshare_widget import cli as commands
from infoshare_widget.base.csv_safety import safe_cell
from infoshare_widget.glossary.csv_io import parse_csv_entries, to_csv, to_json
from infoshare_widget.glossary.entries import GlossaryError, merge_local, parse_glossary, slugify
from infoshare_widget.glossary.loading import get_glossary, load_glossary

GOOD = {
    "version": "1",
    "last_reviewed": "2026-11-26",
    "sources": {"X": {"title": "A source", "url": "https://example.org"}},
    "entries": [
        {
            "term": "MASH",
            "variants": ["front door"],
            "meanings": [
                {"expansion": "Multi-Agency Safeguarding Hub", "meaning": "Where agencies meet.",
                 "disciplines": ["multi-agency"], "source": "X"}
            ],
            "related": ["LADO"],
        },
        {
            "term": "LADO",
            "meanings": [
                {"expansion": "Local Authority Designated Officer", "meaning": "Handles allegations.",
                 "disciplines": ["social-care"], "source": "X"}
            ],
        },
    ],
}


def broken(change):
    data = copy.deepcopy(GOOD)
    change(data)
    return data


CASES = [
    ("duplicate term", lambda d: d["entries"].append(copy.deepcopy(d["entries"][1])), "entry 'LADO': duplicate term"),
    ("unknown related", lambda d: d["entries"][0].update(related=["MARAC"]),
     "entry 'MASH': related term 'MARAC' is not in the glossary"),
    ("missing source", lambda d: d["entries"][1]["meanings"][0].pop("source"), "entry 'LADO': meanings.0.source"),
    ("unknown source", lambda d: d["entries"][1]["meanings"][0].update(source="NOPE"),
     "entry 'LADO', meaning 1: unknown source 'NOPE'"),
    ("missing meaning", lambda d: d["entries"][1]["meanings"][0].pop("meaning"), "entry 'LADO': meanings.0.meaning"),
    ("empty meaning", lambda d: d["entries"][1]["meanings"][0].update(meaning=""), "entry 'LADO': meanings.0.meaning"),
    ("empty discipline", lambda d: d["entries"][1]["meanings"][0].update(disciplines=[]),
     "entry 'LADO': meanings.0.disciplines"),
    ("unknown discipline", lambda d: d["entries"][1]["meanings"][0].update(disciplines=["plumbing"]),
     "entry 'LADO', meaning 1: unknown discipline(s) plumbing"),
    ("no meanings", lambda d: d["entries"][1].update(meanings=[]), "entry 'LADO': meanings"),
    ("local source in shipped", lambda d: d["entries"][1]["meanings"][0].update(source="LOCAL"),
     "only a partnership's local entries may use the source LOCAL"),
    ("not a list", lambda d: d.update(entries={"a": 1}), "'entries' must be a list"),
]


@pytest.mark.parametrize(("case", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_glossary_names_the_file_the_entry_and_the_problem(case, change, message):
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(broken(change), source="glossary.yaml")
    assert str(caught.value).startswith("glossary.yaml: the glossary is not valid")
    assert message in str(caught.value)


def test_slugs_are_stable_links():
    assert slugify("Children's guardian") == "childrens-guardian"
    assert slugify("s47") == "s47"
    assert slugify("CP-IS") == "cp-is"
    assert slugify("Sarah’s Law") == "sarahs-law"


def test_local_entries_override_and_add():
    glossary = parse_glossary(GOOD)
    local = parse_csv_entries(
        "term,expansion,meaning,disciplines\nLADO,Our LADO,Call the LADO team on the usual number.,social-care\n"
        "EDT,Emergency Duty Team,Out of hours social work.,social-care\n",
        "local.csv",
    )
    merged = merge_local(glossary, local, "local.csv")
    lado = merged.by_slug["lado"]
    assert lado.local and lado.expansion == "Our LADO"
    assert merged.by_slug["edt"].local
    assert not merged.by_slug["mash"].local


CSV_HEADER = "term,expansion,meaning,disciplines,variants,related,source,reviewed\n"


def test_csv_import_reports_every_bad_row_by_line_and_imports_nothing(tmp_path):
    bad = tmp_path / "terms.csv"
    bad.write_text(
        CSV_HEADER
        + "GOOD,Good term,Fine.,health,,,,\n"
        + ",No term,Missing term.,health,,,,\n"
        + "BAD1,Bad discipline,Nope.,plumbing,,,,\n"
        + "BAD2,Bad date,Nope.,health,,,,26/11/2026\n"
        + "BAD3,Bad related,Nope.,health,,Nothing Here,,\n"
        + "BAD4,Too many,Cells.,health,,,,,extra\n",
        encoding="utf-8",
    )
    out = tmp_path / "local.yaml"
    assert commands.main(["glossary-import", str(bad), "--out", str(out)]) == 1
    assert not out.exists()
    with pytest.raises(GlossaryError) as caught:
        parse_csv_entries(bad.read_text(), "terms.csv", known_terms=set())
    lines = [p.split(":")[0] for p in caught.value.problems]
    assert lines == ["line 3", "line 4", "line 5", "line 6", "line 7"]


def test_csv_import_writes_yaml_that_loads_as_local_terms(tmp_path, capsys):
    good = tmp_path / "terms.csv"
    good.write_text(
        CSV_HEADER + 'OUR-HUB,Our front door,"Our partnership\'s hub, open 9 to 5.",multi-agency,our hub,,,2026-11-01\n',
        encoding="utf-8",
    )
    out = tmp_path / "local.yaml"
    assert commands.main(["glossary-import", str(good), "--out", str(out)]) == 0
    glossary = load_glossary(local_path=out)
    entry = glossary.by_slug["our-hub"]
    assert entry.local and entry.variants == ("our hub",)
    assert "Imported 1 local term" in capsys.readouterr().out


def test_a_missing_or_bad_header_is_refused():
    with pytest.raises(GlossaryError, match="line 1: missing column"):
        parse_csv_entries("term,meaning\nA,B\n", "x.csv")
    with pytest.raises(GlossaryError, match="unknown column"):
        parse_csv_entries(CSV_HEADER.strip() + ",colour\n", "x.csv")


def test_export_csv_and_json_round_trip_and_neutralise_formulas(tmp_path):
    glossary = get_glossary()
    text = to_csv(glossary)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sum(len(e.meanings) for e in glossary.entries)
    body = json.loads(to_json(glossary))
    assert len(body["entries"]) == len(glossary.entries)
    local = parse_csv_entries(CSV_HEADER + '@RISK,=HYPERLINK(1),-5 days.,health,,,,\n', "x.csv")
    exported = list(csv.DictReader(io.StringIO(to_csv(merge_local(glossary, local, "x.csv")))))
    risky = next(row for row in exported if row["term"].endswith("@RISK"))
    assert [risky[c] for c in ("term", "expansion", "meaning")] == [safe_cell(v) for v in ("@RISK", "=HYPERLINK(1)", "-5 days.")]
    assert risky["term"] == "'@RISK" and risky["meaning"] == "'-5 days."
    assert commands.main(["glossary-export", "--csv", str(tmp_path / "g.csv"), "--json", str(tmp_path / "g.json")]) == 0
    assert (tmp_path / "g.csv").read_text().startswith("term,expansion,meaning")


def test_a_local_csv_file_loads_over_the_shipped_glossary(tmp_path):
    local = tmp_path / "ours.csv"
    local.write_text(CSV_HEADER + "OUR-HUB,Our front door,Our hub.,multi-agency,,,,\n", encoding="utf-8")
    glossary = load_glossary(local_path=local)
    assert glossary.by_slug["our-hub"].local
    assert len(glossary.entries) == len(get_glossary().entries) + 1


def _imports_of(module_file: str) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).parents[2] / module_file).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_entries_and_csv_io_do_not_import_each_other_or_the_loader():
    entries = _imports_of("infoshare_widget/glossary/entries.py")
    csv_io = _imports_of("infoshare_widget/glossary/csv_io.py")
    assert not entries & {"infoshare_widget.glossary.csv_io", "infoshare_widget.glossary.loading"}
    assert "infoshare_widget.glossary.loading" not in csv_io
    loading = _imports_of("infoshare_widget/glossary/loading.py")
    assert {"infoshare_widget.glossary.csv_io", "infoshare_widget.glossary.entries"} <= loading


REVIEWED_2026_12 = ["cwsa", "consistent-identifier", "macpt", "seven-golden-rules", "duaa", "working-together",
                    "safeguarding", "rli"]


@pytest.mark.parametrize("slug", REVIEWED_2026_12)
def test_entries_checked_in_the_december_review_carry_the_date_and_a_public_source(slug):
    glossary = get_glossary()
    entry = glossary.by_slug[slug]
    assert str(entry.reviewed) == "2026-12-01"
    for meaning in entry.meanings:
        source = glossary.sources.get(meaning.source)
        assert source is not None and source.url.startswith("https://"), (slug, meaning.source)


@pytest.mark.parametrize("slug", ["cwsa", "consistent-identifier", "macpt"])
def test_laws_not_yet_in_force_say_so_and_ask_to_be_checked(slug):
    meaning = get_glossary().by_slug[slug].meanings[0].meaning
    assert "check" in meaning
    assert "1 December 2026" in meaning or "2027" in meaning


@pytest.mark.parametrize("slug", REVIEWED_2026_12)
def test_a_new_entry_shares_no_name_with_another_entry(slug):
    """A new entry must extend an old one, not shadow it: none of its names is another entry's name."""
    glossary = get_glossary()
    entry = glossary.by_slug[slug]
    others = {n.casefold() for e in glossary.entries if e is not entry for n in (e.term, *e.variants)}
    assert not {n.casefold() for n in (entry.term, *entry.variants)} & others


_LONG = "T" * 81
_MEANINGS_CSV = [
    ("rows with the same term make one entry: the first row's date, every variant and related term once",
     CSV_HEADER + "A,Aye,M.,health,v1;v2,r1,,2026-11-01\n"
     + "a,Bee,M2.,education; health,v2;v3,r1;r2,ICO,2026-12-01\n",
     None, [("A", ("v1", "v2", "v3"), ("r1", "r2"),
             [("Aye", "LOCAL", ("health",)), ("Bee", "ICO", ("education", "health"))], "2026-11-01")]),
    ("blank rows are skipped", CSV_HEADER + "\n,,,,,,,\n" + "A,Aye,M.,health,,,,\n", None,
     [("A", (), (), [("Aye", "LOCAL", ("health",))], None)]),
    ("a meaning given twice for a term (in any case)",
     CSV_HEADER + "A,Aye,M.,health,,,,\n" + "a,aye,Other.,education,,,,\n", None,
     ["line 3: 'a' already has the meaning 'aye'"]),
    ("a term the entry rules refuse, named by its first line", CSV_HEADER + f"{_LONG},Aye,M.,health,,,,\n",
     None, [f"line 2: '{_LONG}' term: String should have at most 80 characters"]),
    ("a cell larger than CSV allows", CSV_HEADER + "A," + "b" * 200_000 + ",M.,health,,,,\n", None,
     ["not valid CSV (field larger than field limit (131072))"]),
    ("problems by line; on one line, the entry's own before its related terms",
     CSV_HEADER + "A,Aye,M.,health,,Zed,,\n" + "B,,M.,health,,,,\n" + f"{_LONG},Aye,M.,health,,Nope,,\n"
     + "A,Aye,Again.,health,,,,\n" + "C,Cee,M.,health,,,,x\n", {"q"},
     ["line 2: related term 'Zed' is not in the glossary",
      "line 3: missing expansion",
      f"line 4: '{_LONG}' term: String should have at most 80 characters",
      "line 4: related term 'Nope' is not in the glossary",
      "line 5: 'A' already has the meaning 'Aye'",
      "line 6: reviewed must be a date like 2026-11-26, not 'x'"]),
]


@pytest.mark.parametrize(("case", "text", "known", "expected"), _MEANINGS_CSV,
                         ids=[m[0] for m in _MEANINGS_CSV])
def test_csv_rows_become_entries_or_every_problem_by_line(case, text, known, expected):
    try:
        entries = parse_csv_entries(text, "x.csv", known_terms=known)
    except GlossaryError as exc:
        assert exc.problems == expected
    else:
        got = [(e.term, e.variants, e.related, [(m.expansion, m.source, m.disciplines) for m in e.meanings],
                e.reviewed and e.reviewed.isoformat()) for e in entries]
        assert got == expected
        assert all(e.local for e in entries)
