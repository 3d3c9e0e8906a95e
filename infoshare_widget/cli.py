"""The command line: one entry point with a subcommand for each job.

  python -m infoshare_widget serve run --env prod ...   run the widget (every argument goes to reflex)
  python -m infoshare_widget migrate
  python -m infoshare_widget create-org ORG_ID "Organisation name"
  python -m infoshare_widget create-user ORG_ID USERNAME "Full name" "Job title" [--access LEVEL]
                                                                        [--email ADDRESS]
                                                                        (password on stdin)
  python -m infoshare_widget reset-code ORG_ID USERNAME
  python -m infoshare_widget verify ORG_ID
  python -m infoshare_widget access-log ORG_ID [--since YYYY-MM-DD] [--json]
  python -m infoshare_widget set-retention ORG_ID YEARS|none
  python -m infoshare_widget purge ORG_ID [--apply]
  python -m infoshare_widget insight-rebuild
  python -m infoshare_widget content-review [--today YYYY-MM-DD] [--json] [--stamp]
  python -m infoshare_widget glossary-import terms.csv --out local-glossary.yaml
  python -m infoshare_widget glossary-export [--csv glossary.csv] [--json glossary.json]
  python -m infoshare_widget deliver [--once]     send queued alert emails and webhook calls

The database is REFLEX_DB_URL (default sqlite:///infoshare.db). The password is read from standard
input (one line), so it stays out of the shell's history and the process list. LEVEL is recorder
(the default), lead, admin or auditor; for the last three, create-user prints the authenticator
address (otpauth://) once, to pass to the person or to turn into a QR code for them.

content-review lists what needs attention, with where to check each: the rules, legal references,
personal duties, questions and outcomes past their next review date; the watch list's coming or
unconfirmed changes in the law whose look-again date has come; glossary entries past their review
date; what is wrong in the partnership file (hours nobody covers, a bank-holiday list that does not
reach 12 months ahead); and whether the version still matches the content. It exits 1 when anything
needs attention, so it can run from a scheduler. --stamp records the current version against the
content, after a review that changed it (raise the version first).

glossary-import checks every row of a CSV of local terms against the shipped glossary: any bad row
is reported by line number and nothing is written; otherwise the YAML file is written whole. Then
set INFOSHARE_GLOSSARY_FILE=local-glossary.yaml (a CSV file works there too). glossary-export writes
the merged glossary (shipped plus INFOSHARE_GLOSSARY_FILE, if set).
"""

from __future__ import annotations

import argparse
import logging
import datetime as dt
import getpass
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from infoshare_widget.admin.service import code_for_command
from infoshare_widget.base.access_log import log_fields, log_for_command
from infoshare_widget.auth import create_user
from infoshare_widget.auth.accounts import checked_email, provisioning_uri
from infoshare_widget.auth.rules import RESET_LASTS
from infoshare_widget.base.access import DEFAULT_LEVEL, LEVELS, needs_second_factor
from infoshare_widget.base.acting import RecordError, ensure_organisation
from infoshare_widget.base.clock import as_utc, uk_day_start, uk_today
from infoshare_widget.base.db import get_engine, upgrade
from infoshare_widget.base.models import AccessLog
from infoshare_widget.base.settings import SettingsError, load_partnership, partnership_path
from infoshare_widget.flowchart.chart import Chart, ChartError, get_chart
from infoshare_widget.flowchart.review import describe_watch, due_items, stamp, version_problem, watch_due
from infoshare_widget.glossary.entries import GlossaryError
from infoshare_widget.glossary.files import export, import_csv
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.records.insight_store import rebuild
from infoshare_widget.records.retention import parse_years, purge, set_retention
from infoshare_widget.records.service import verify_chain



def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01") from None


def _log_row(entry: AccessLog) -> dict:
    return {"at": as_utc(entry.at).isoformat(), **log_fields(entry)}


def _listed(heading: str, lines: list[str], nothing: str) -> None:
    """One part of the review: its heading and a line for each item, or what it says when there is none."""
    if not lines:
        print(nothing)
        return
    print(heading)
    for line in lines:
        print(f"  - {line}")


def parser() -> argparse.ArgumentParser:
    """Every subcommand but serve (whose arguments are reflex's own)."""
    parser = argparse.ArgumentParser(prog="python -m infoshare_widget", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the widget: every argument after it goes to reflex")
    commands.add_parser("migrate", help="apply the database migrations")
    org = commands.add_parser("create-org", help="set up an organisation for records")
    org.add_argument("org_id")
    org.add_argument("name")
    user = commands.add_parser("create-user", help="make a practitioner's account")
    for name in ("org_id", "username", "name", "role"):
        user.add_argument(name)
    user.add_argument("--access", choices=LEVELS, default=DEFAULT_LEVEL, help="the access level (default recorder)")
    user.add_argument("--email", default=None, help="where alerts are emailed (a lead's); checked before the password")
    code_cmd = commands.add_parser("reset-code", help="a one-time code for an account to set a new password "
                                   "(for an organisation with no lead or admin who can sign in)")
    code_cmd.add_argument("org_id")
    code_cmd.add_argument("username")
    check = commands.add_parser("verify", help="check an organisation's chain of records")
    check.add_argument("org_id")
    log_cmd = commands.add_parser("access-log", help="print the organisation's access log, oldest first")
    log_cmd.add_argument("org_id")
    log_cmd.add_argument("--since", type=_day, help="from this UK date (YYYY-MM-DD)")
    log_cmd.add_argument("--json", action="store_true", help="one JSON document instead of lines")
    keep = commands.add_parser("set-retention", help="how many years records are kept after their last entry")
    keep.add_argument("org_id")
    keep.add_argument("years", help="a whole number of years, or none")
    purge_cmd = commands.add_parser("purge", help="list records past the retention period; --apply removes them")
    purge_cmd.add_argument("org_id")
    purge_cmd.add_argument("--apply", action="store_true", help="remove the content of the records listed")
    commands.add_parser("insight-rebuild", help="write the insight page's facts again from every record")
    review = commands.add_parser("content-review", help="what is due for review, and whether the version is right")
    review.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the date to check against")
    review.add_argument("--json", action="store_true", help="print JSON instead of lines")
    review.add_argument("--stamp", action="store_true", help="record the version against the content")
    deliver = commands.add_parser("deliver", help="send queued alert emails and webhook calls (the server does "
                                  "this too; run this where the server's own worker is not enough)")
    deliver.add_argument("--once", action="store_true", help="one round, then stop")
    imp = commands.add_parser("glossary-import", help="check a CSV of local terms and write it as YAML")
    imp.add_argument("csv", type=Path)
    imp.add_argument("--out", type=Path, required=True)
    exp = commands.add_parser("glossary-export", help="write the merged glossary as CSV and JSON")
    exp.add_argument("--csv", type=Path)
    exp.add_argument("--json", type=Path)
    return parser


def _create_org(session: Session, args: argparse.Namespace) -> int:
    ensure_organisation(session=session, org_id=args.org_id, name=args.name)
    print(f"Organisation '{args.org_id}' is ready.")
    return 0


def _create_user(session: Session, args: argparse.Namespace) -> int:
    """The password from standard input (or a prompt at a terminal), so it stays out of the shell's
    history and the process list; an elevated level's authenticator address is shown only now."""
    email = checked_email(args.email)  # a mistyped address is said before the password is asked for
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    elevated = needs_second_factor(args.access)
    user = create_user(session=session, org_id=args.org_id, username=args.username, name=args.name,
                       role=args.role, password=password, access=args.access, with_second_factor=elevated,
                       email=email)
    print(f"Account '{user.username}' made in '{args.org_id}' as {args.access}.")
    if elevated:
        print("Signing in needs a code from an authenticator app. Add this address to the app "
              "(it is shown only now):")
        print(provisioning_uri(session, user))
    return 0


def _reset_code(session: Session, args: argparse.Namespace) -> int:
    code = code_for_command(session=session, org_id=args.org_id, username=args.username)
    print(f"One-time code for '{args.username}' (shown only now; it lasts {RESET_LASTS}): {code}")
    print("They set their password with it at /reset-password. Their old password and sessions have ended.")
    return 0


def _access_log(session: Session, args: argparse.Namespace) -> int:
    since = uk_day_start(args.since) if args.since else None
    rows = [_log_row(entry) for entry in log_for_command(session=session, org_id=args.org_id, since=since)]
    if args.json:
        print(json.dumps({"org_id": args.org_id, "entries": rows}, indent=1))
    else:
        for row in rows:
            print("\t".join(str(row[k]) for k in ("at", "who", "account", "level", "action", "target", "client",
                                                  "outcome")))
    return 0


def _set_retention(session: Session, args: argparse.Namespace) -> int:
    years = parse_years(args.years)
    set_retention(session=session, org_id=args.org_id, years=years)
    print(f"Records of '{args.org_id}' are kept {years} years after their last entry." if years
          else f"Records of '{args.org_id}' are kept until a retention period is set.")
    return 0


def _insight_rebuild(session: Session, args: argparse.Namespace) -> int:
    print(f"Insight facts written again for {rebuild(session)} record(s).")
    return 0


def _purge(session: Session, args: argparse.Namespace) -> int:
    """List what is past the retention period; with --apply, remove it and check the chain still holds."""
    found = purge(session=session, org_id=args.org_id, apply=args.apply)
    for item in found:
        print(f"{item.reference}\tlast entry {item.last_entry_at:%Y-%m-%d}")
    verb = "Removed the content of" if args.apply else "Due for removal:"
    print(f"{verb} {len(found)} record(s)." + ("" if args.apply or not found else
                                                 " Run again with --apply to remove them."))
    if not args.apply:
        return 0
    report = verify_chain(session=session, org_id=args.org_id)
    print("The chain still verifies." if report.ok else "The chain does not verify: " + str(report.problem))
    return 0 if report.ok else 2


def _verify(session: Session, args: argparse.Namespace) -> int:
    report = verify_chain(session=session, org_id=args.org_id)
    print(json.dumps(report.as_dict(), indent=1))
    return 0 if report.ok else 2


# Each database command but migrate, by its name: it gets one session and the parsed arguments.
WITH_A_SESSION = {"create-org": _create_org, "create-user": _create_user, "reset-code": _reset_code,
                  "access-log": _access_log, "set-retention": _set_retention, "insight-rebuild": _insight_rebuild,
                  "purge": _purge, "verify": _verify}


def records_command(args: argparse.Namespace) -> int:
    """The database, accounts, records and access-log commands. A refusal (RecordError) is said on
    standard error with exit status 1."""
    engine = get_engine()
    try:
        if args.command == "migrate":
            upgrade(engine)
            print("The database is up to date.")
            return 0
        with Session(engine) as session:
            return WITH_A_SESSION[args.command](session, args)
    except RecordError as exc:
        print(str(exc), file=sys.stderr)
        return 1


@dataclass(frozen=True)
class Review:
    """What the content review found on a day."""

    chart: Chart
    today: dt.date
    due: list
    watched: list
    terms: list
    partnership_file: Path
    warnings: list[str]
    problem: str | None

    def needs_attention(self) -> bool:
        return bool(self.due or self.watched or self.terms or self.warnings or self.problem)


def _review_as_json(review: Review) -> str:
    chart, today = review.chart, review.today
    return json.dumps({
        "version": chart.version, "last_reviewed": chart.last_reviewed.isoformat(),
        "next_review": chart.next_review.isoformat(), "version_problem": review.problem,
        "jurisdiction": chart.jurisdiction, "law_as_at": chart.law_as_at.isoformat(),
        "due": [{"item": d.item, "source": d.source, "next_review": d.next_review.isoformat(),
                 "days_over": d.days_over} for d in review.due],
        "watch_due": [{"id": wid, "title": item.title, "change": item.change, "source": item.source,
                       "look_again": item.look_again.isoformat(), "claims": list(item.claims)}
                      for wid, item in review.watched],
        "glossary_due": [{"term": entry.term, "slug": entry.slug, "next_review": when.isoformat(),
                          "days_over": (today - when).days} for entry, when in review.terms],
        "partnership_file": str(review.partnership_file),
        "partnership_warnings": review.warnings,
    }, indent=1)


def _print_review(review: Review) -> None:
    chart, today, path = review.chart, review.today, review.partnership_file
    print(f"Decision content version {chart.version}, last reviewed {chart.last_reviewed:%-d %B %Y}; "
          f"next review due {chart.next_review:%-d %B %Y}. It covers {chart.jurisdiction}, with the law as at "
          f"{chart.law_as_at:%-d %B %Y}.")
    print(f"Version: {review.problem}" if review.problem else "Version: matches the content.")
    _listed(f"{len(review.due)} item(s) due for review on {today:%-d %B %Y}:",
            [item.describe(chart) for item in review.due], f"Nothing is due for review on {today:%-d %B %Y}.")
    _listed(f"Watch list: {len(review.watched)} coming or unconfirmed change(s) to look at again:",
            [describe_watch(chart, wid, item) for wid, item in review.watched],
            "Watch list: nothing to look at again yet.")
    terms = review.terms
    _listed(f"Glossary: {len(terms)} entr{'y' if len(terms) == 1 else 'ies'} past their review date:",
            [f"{entry.term}: next review was {when:%-d %B %Y} ({(today - when).days} days ago)"
             for entry, when in terms], "Glossary: no entry is past its review date.")
    _listed(f"Partnership file {path}:", review.warnings,
            f"Partnership file {path}: hours and bank holidays are complete.")


def content_review(args: argparse.Namespace) -> int:
    """What is due for review, and whether the version is right (exit 1 when anything needs attention,
    2 when the content or partnership file cannot be read)."""
    try:
        chart = get_chart()
    except ChartError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.stamp:
        stamp(chart)
        print(f"Stamped version {chart.version}.")
        return 0
    try:
        glossary = get_glossary()
        path = partnership_path()
        partnership = load_partnership(path)
    except (GlossaryError, SettingsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    today = args.today or uk_today()
    review = Review(chart, today, due_items(chart, today), watch_due(chart, today), glossary.due_entries(today),
                    path, partnership.warnings(today), version_problem(chart))
    if args.json:
        print(_review_as_json(review))
    else:
        _print_review(review)
    return 1 if review.needs_attention() else 0


def glossary_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Import a CSV of local terms, or export the merged glossary."""
    try:
        if args.command == "glossary-import":
            return import_csv(args.csv, args.out)
        if not (args.csv or args.json):
            parser.error("glossary-export needs --csv, --json or both")
        return export(args.csv, args.json)
    except GlossaryError as exc:
        print(str(exc), file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        from infoshare_widget import outbox
        from infoshare_widget.web.serve import serve

        outbox.say_how_alerts_go()  # once, here, not once per worker

        serve(argv[1:])
        return 0
    the_parser = parser()
    args = the_parser.parse_args(argv)
    if args.command == "migrate" or args.command in WITH_A_SESSION:
        return records_command(args)
    if args.command == "content-review":
        return content_review(args)
    if args.command == "deliver":
        return deliver(args)
    return glossary_command(args, the_parser)


def deliver(args: argparse.Namespace) -> int:
    """The outbox worker alone: one round with --once (printing how many were sent), else until stopped."""
    import asyncio

    from infoshare_widget import outbox

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    outbox.say_how_alerts_go()
    if args.once:
        print(f"Sent {outbox.make_worker().tick()}.")
        return 0
    try:
        asyncio.run(outbox.serve_outbox())
    except KeyboardInterrupt:
        pass
    return 0
