"""The partnership file: the example loads; a missing or malformed file names the file and problem."""

import pytest

from infoshare_widget.base.settings import (
    EXAMPLE_PARTNERSHIP_FILE,
    SettingsError,
    load_partnership,
    partnership_path,
)

GOOD = """
name: Test Partnership
area: Testshire
front_door:
  name: Testshire MASH
  phone: "01632 960 100"
out_of_hours:
  name: Testshire Emergency Duty Team
  phone: "01632 960 101"
advice:
  - name: Your safeguarding lead
"""


def test_the_shipped_example_loads_and_says_it_is_an_example():
    partnership = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
    assert partnership.example is True
    assert partnership.front_door.tel_href == "tel:01632960001"
    assert partnership.advice


def test_environment_names_the_file_and_the_example_is_the_default(tmp_path):
    assert partnership_path({}) == EXAMPLE_PARTNERSHIP_FILE
    assert partnership_path({"INFOSHARE_PARTNERSHIP_FILE": str(tmp_path / "p.yaml")}) == tmp_path / "p.yaml"


def test_a_good_file_loads(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD, encoding="utf-8")
    partnership = load_partnership(path)
    assert partnership.example is False
    assert partnership.out_of_hours.name == "Testshire Emergency Duty Team"
    assert partnership.front_door.open is None  # hours as data are optional; then "open now" is not shown
    assert partnership.consultation_line is partnership.front_door
    assert partnership.content_review.strict is False
    assert partnership.exit_page == "https://www.bbc.co.uk/weather"  # GOV.UK's neutral default


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: [unclosed", "not valid YAML"),
        ("- a list\n", "mapping at the top level"),
        (GOOD.replace('"01632 960 100"', "01234567"), "front_door.phone: Value error, write the phone number in quotes"),
        (GOOD.replace('"01632 960 100"', '"call me"'), "front_door.phone: Value error, a phone number holds digits"),
        (GOOD.replace("name: Testshire MASH", "name: ''"), "front_door.name"),
        (GOOD.replace("advice:\n  - name: Your safeguarding lead\n", "advice: []\n"), "advice"),
        (GOOD + "colour: red\n", "colour: Extra inputs are not permitted"),
        (GOOD.replace("area: Testshire\n", ""), "area: Field required"),
        (GOOD.replace("out_of_hours:\n  name: Testshire Emergency Duty Team\n  phone: \"01632 960 101\"\n", ""),
         "out_of_hours: Field required"),
        (GOOD.replace('phone: "01632 960 100"', 'phone: "01632 960 100"\n  open: {mondy: "09:00-17:00"}'),
         "front_door.open: Value error, unknown day mondy"),
        (GOOD.replace('phone: "01632 960 100"', 'phone: "01632 960 100"\n  open: {monday: "9am-5pm"}'),
         "front_door.open: Value error, '9am-5pm' is not a time range"),
        (GOOD.replace('phone: "01632 960 101"', 'phone: "01632 960 101"\n  open: {sunday: "22:00-06:00"}'),
         "out_of_hours.open: Value error, '22:00-06:00' ends before it starts"),
        (GOOD + "bank_holidays: [2026-13-01]\n", "month must be in 1..12 (a date must be a real date"),
        (GOOD + "bank_holidays: [Christmas]\n", "bank_holidays.0"),
        (GOOD + "content_review: {strict: maybe}\n", "content_review.strict"),
        (GOOD + "embed_origins: [https://Intranet.example.org/]\n", "is not an origin"),
        (GOOD + "embed_partners:\n  - {issuer: x, algorithm: RS256, organisations: [a], origins: ['https://a.org/']}\n",
         "is not an origin"),
        (GOOD + "embed_partners:\n  - {issuer: x, algorithm: RS256, organisations: [a], access_claim: groups,\n"
                "     access_levels: {dsl: boss}}\n", "'dsl' maps to 'boss'; use one of recorder, lead, admin, auditor"),
        (GOOD + "embed_partners:\n  - {issuer: x, algorithm: RS256, organisations: [a], trust_amr: yes}\n",
         "trust_amr: Extra inputs are not permitted"),
        (GOOD + "exit_page: http://www.bbc.co.uk/weather\n", "exit_page: String should match pattern"),
        (GOOD + "exit_page: 'javascript:alert(1)'\n", "exit_page: String should match pattern"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "partnership.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_partnership(path)
    assert str(caught.value).startswith(f"partnership file {path}")
    assert problem in str(caught.value)


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(SettingsError, match="nope.yaml: the file does not exist"):
        load_partnership(tmp_path / "nope.yaml")


def test_a_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(SettingsError, match="not UTF-8"):
        load_partnership(path)


def test_the_app_refuses_to_start_with_a_missing_partnership_file(tmp_path):
    """Start-up fails with a message naming the file and the problem, not a half-working widget."""
    import os
    import subprocess
    import sys

    missing = tmp_path / "partnership.yaml"
    result = subprocess.run(
        [sys.executable, "-c", "import infoshare_widget.infoshare_widget"],
        env={**os.environ, "INFOSHARE_PARTNERSHIP_FILE": str(missing)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"partnership file {missing}: the file does not exist" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 1500), ("0", 0), ("20", 20), ("100000", 100000), ("-1", None), ("x", None), ("²", None), ("100001", None)],
)
def test_the_glossary_browser_limit_is_a_whole_number_in_range(value, expected):
    from infoshare_widget.base.settings import GLOSSARY_BROWSER_MAX_ENV, glossary_browser_max

    if expected is None:
        with pytest.raises(SettingsError, match=GLOSSARY_BROWSER_MAX_ENV):
            glossary_browser_max({GLOSSARY_BROWSER_MAX_ENV: value})
    else:
        assert glossary_browser_max({GLOSSARY_BROWSER_MAX_ENV: value}) == expected


def test_the_partnership_insight_key_comes_from_the_named_variable_and_must_be_long():
    from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE, insight_key

    partnership = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
    assert partnership.insight.api_key_env == "INFOSHARE_INSIGHT_API_KEY"
    assert insight_key(partnership, {}) is None
    assert insight_key(partnership, {"INFOSHARE_INSIGHT_API_KEY": "k" * 24}) == "k" * 24
    with pytest.raises(SettingsError, match="INFOSHARE_INSIGHT_API_KEY: the partnership insight key is shorter"):
        insight_key(partnership, {"INFOSHARE_INSIGHT_API_KEY": "short"})


@pytest.mark.parametrize("change, problem", [
    ({"agencies": [{"id": "police", "name": "Police"}, {"id": "police", "name": "Police again"}]}, "must be unique"),
    ({"agencies": [{"id": "other", "name": "Other"}]}, "kept for the form's Other choice"),
    ({"agencies": [{"id": "Police Force", "name": "Police"}]}, "agencies"),
    ({"insight": {"partnership_viewers": [{"organisation": "x"}]}}, "name a viewer by organisation and username"),
    ({"insight": {"partnership_viewers": [{"organisation": "x", "username": "y", "issuer": "z", "subject": "s"}]}},
     "name a viewer by organisation and username"),
    ({"insight": {"count_unrecorded_walks": "sometimes"}}, "count_unrecorded_walks"),
    ({"insight": {"api_key_env": "the key itself 123"}}, "api_key_env"),
])
def test_agencies_and_insight_settings_are_checked(tmp_path, change, problem):
    import yaml

    from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE

    data = yaml.safe_load(EXAMPLE_PARTNERSHIP_FILE.read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "partnership.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SettingsError, match=problem):
        load_partnership(path)


def test_the_example_has_a_lado_with_hours_and_a_year_of_bank_holidays():
    import datetime as dt

    partnership = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
    assert partnership.lado is not None and partnership.lado.open
    assert partnership.contacts_by_key()["lado"] is partnership.lado
    assert partnership.bank_holidays_known_until == dt.date(2027, 12, 31)
    assert partnership.warnings(dt.date(2026, 12, 7)) == []


def test_the_lado_is_optional_and_the_list_end_defaults_to_its_last_date(tmp_path):
    import datetime as dt

    path = tmp_path / "p.yaml"
    path.write_text(GOOD + "bank_holidays: [2026-12-25, 2027-01-01]\n", encoding="utf-8")
    partnership = load_partnership(path)
    assert partnership.lado is None and "lado" not in partnership.contacts_by_key()
    assert partnership.bank_holidays_known_until == dt.date(2027, 1, 1)


def test_the_list_end_cannot_come_before_a_listed_bank_holiday(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD + "bank_holidays: [2026-12-25, 2027-01-01]\nbank_holidays_until: 2026-12-31\n",
                    encoding="utf-8")
    with pytest.raises(SettingsError, match="bank_holidays_until .2026-12-31. is before the last bank holiday"):
        load_partnership(path)


def _with(change: dict):
    import yaml

    data = yaml.safe_load(EXAMPLE_PARTNERSHIP_FILE.read_text(encoding="utf-8"))
    data.update(change)
    from infoshare_widget.base.settings import Partnership

    return Partnership.model_validate(data)


TODAY = __import__("datetime").date(2026, 12, 7)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, []),
        # The out-of-hours team starts at 18:00 on Fridays: an hour and a quarter nobody answers.
        ({"out_of_hours": {"name": "EDT", "open": {"monday": ["00:00-08:45", "17:15-24:00"],
                                                   "tuesday": ["00:00-08:45", "17:15-24:00"],
                                                   "wednesday": ["00:00-08:45", "17:15-24:00"],
                                                   "thursday": ["00:00-08:45", "17:15-24:00"],
                                                   "friday": ["00:00-08:45", "18:00-24:00"],
                                                   "saturday": "all day", "sunday": "all day",
                                                   "bank_holiday": "all day"}}},
         ["nobody answers on Friday at 16:45-18:00"]),
        # Nobody listed for bank holidays.
        ({"out_of_hours": {"name": "EDT", "open": {"monday": ["00:00-08:45", "17:15-24:00"],
                                                   "tuesday": ["00:00-08:45", "17:15-24:00"],
                                                   "wednesday": ["00:00-08:45", "17:15-24:00"],
                                                   "thursday": ["00:00-08:45", "17:15-24:00"],
                                                   "friday": ["00:00-08:45", "16:45-24:00"],
                                                   "saturday": "all day", "sunday": "all day"}}},
         ["nobody answers on bank holidays at 00:00-24:00"]),
        ({"out_of_hours": {"name": "EDT", "phone": "01632 960 002"}},
         ["the out-of-hours team has no opening hours as data"]),
        ({"bank_holidays_until": None, "bank_holidays": ["2026-12-25", "2027-05-31"]},
         ["the bank holidays listed end on 31 May 2027, less than 12 months ahead (they should reach 7 December 2027)"]),
        ({"bank_holidays_until": None, "bank_holidays": ["2026-01-01"]},
         ["the bank holidays listed end on 1 January 2026, which has passed"]),
        ({"bank_holidays_until": None, "bank_holidays": []}, ["no bank holidays are listed"]),
    ],
)
def test_start_up_warns_of_hours_nobody_covers_and_a_short_bank_holiday_list(change, expected):
    warnings = _with(change).warnings(TODAY)
    assert len(warnings) == len(expected), warnings
    for warning, words in zip(warnings, expected):
        assert words in warning


def test_the_warnings_are_logged_when_the_partnership_is_loaded(tmp_path, caplog, monkeypatch):
    import logging

    from infoshare_widget.base import settings

    path = tmp_path / "p.yaml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("INFOSHARE_PARTNERSHIP_FILE", str(path))
    settings.get_partnership.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="infoshare_widget.base.settings"):
            settings.get_partnership()
    finally:
        settings.get_partnership.cache_clear()
    assert any(str(path) in r.getMessage() and "no opening hours as data" in r.getMessage() for r in caplog.records)


AREA = {"id": "northvale", "name": "Northvale Borough Council",
        "front_door": {"name": "Northvale front door", "phone": "01632 960 210"},
        "out_of_hours": {"name": "Northvale Emergency Duty Team", "phone": "01632 960 211"}}


def test_the_example_lists_three_other_areas_whose_contacts_are_keyed_and_cover_every_hour():
    import datetime as dt

    partnership = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
    assert len(partnership.areas) == 3
    keyed = partnership.contacts_by_key()
    for area in partnership.areas:
        assert area.name != partnership.area
        assert keyed[f"area-{area.id}-front_door"] is area.front_door and area.front_door.open
        assert keyed[f"area-{area.id}-out_of_hours"] is area.out_of_hours and area.out_of_hours.open
        assert keyed[f"area-{area.id}-lado"] is area.lado
    # Someone answers at every hour in each area too (else start-up would warn).
    assert partnership.warnings(dt.date(2026, 12, 7)) == []


def test_an_area_needs_only_a_front_door_and_an_out_of_hours_team(tmp_path):
    import yaml

    data = yaml.safe_load(GOOD)
    data["areas"] = [AREA]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    partnership = load_partnership(path)
    (area,) = partnership.areas
    assert area.lado is None and area.website is None
    assert list(area.contacts()) == ["front_door", "out_of_hours"]
    assert "area-northvale-lado" not in partnership.contacts_by_key()


@pytest.mark.parametrize("areas, problem", [
    ([AREA, {**AREA, "name": "Northvale again"}], "area ids must be unique: northvale is listed more than once"),
    ([AREA, {**AREA, "id": "northvale-2", "name": "NORTHVALE Borough Council"}],
     "area names must be unique: northvale borough council is listed more than once"),
    ([{**AREA, "name": "Example Borough"}], "'Example Borough' is the partnership's own area"),
    ([{k: v for k, v in AREA.items() if k != "front_door"}], "areas.0.front_door: Field required"),
    ([{k: v for k, v in AREA.items() if k != "out_of_hours"}], "areas.0.out_of_hours: Field required"),
    ([{**AREA, "front_door": {"name": "Northvale", "phone": "ring the council"}}],
     "areas.0.front_door.phone: Value error, a phone number holds digits"),
    ([{**AREA, "front_door": {"name": "Northvale", "phone": 1632960210}}],
     "areas.0.front_door.phone: Value error, write the phone number in quotes"),
    ([{**AREA, "lado": {"name": "LADO", "open": {"mondy": "09:00-17:00"}}}], "areas.0.lado.open: Value error, unknown day mondy"),
    ([{**AREA, "id": "North Vale"}], "areas.0.id: String should match pattern"),
    ([{**AREA, "website": "http://northvale.example.org"}], "areas.0.website: String should match pattern"),
    ([{**AREA, "mash": "yes"}], "areas.0.mash: Extra inputs are not permitted"),
])
def test_areas_are_checked_and_the_problem_named(tmp_path, areas, problem):
    import yaml

    data = yaml.safe_load(EXAMPLE_PARTNERSHIP_FILE.read_text(encoding="utf-8"))
    data["areas"] = areas
    path = tmp_path / "partnership.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_partnership(path)
    assert str(caught.value).startswith(f"partnership file {path}")
    assert problem in str(caught.value)


def test_start_up_warns_of_hours_nobody_covers_in_another_area():
    night = {"name": "Northvale EDT", "open": {"saturday": "all day", "sunday": "all day"}}
    door = {"name": "Northvale front door", "open": {day: "09:00-17:00" for day in
                                                    ("monday", "tuesday", "wednesday", "thursday", "friday")}}
    warnings = _with({"areas": [{**AREA, "front_door": door, "out_of_hours": night}]}).warnings(TODAY)
    assert warnings[0] == ("Northvale Borough Council (under areas): nobody answers on Monday at 00:00-09:00, "
                           "17:00-24:00: neither the front door nor the out-of-hours team is open then "
                           "(check their `open` hours)")
    assert any(w.startswith("Northvale Borough Council (under areas): nobody answers on bank holidays") for w in warnings)
    without = _with({"areas": [AREA]}).warnings(TODAY)
    assert without == ["Northvale Borough Council (under areas): the front door and the out-of-hours team have no "
                       "opening hours as data (`open`), so the widget cannot check that someone answers at every "
                       "hour of the week, or say who is open now"]


def test_the_documented_areas_example_loads(tmp_path):
    """docs/partnership.md, "Other areas": its YAML is a valid `areas` key."""
    import yaml

    from infoshare_widget.base.settings import PROJECT_ROOT

    page = (PROJECT_ROOT / "docs" / "partnership.md").read_text(encoding="utf-8")
    section = page[page.index("### Other areas"):]
    start = section.index("```yaml\n") + len("```yaml\n")
    example = section[start:section.index("\n```", start)]
    data = {**yaml.safe_load(GOOD), **yaml.safe_load(example)}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    (area,) = load_partnership(path).areas
    assert area.name == "Northvale Borough Council" and area.lado.phone == "01632 960 212"
    assert area.website and area.note and area.out_of_hours.open["bank_holiday"]
