"""Admin commands for records.

  python -m infoshare_widget.records migrate
  python -m infoshare_widget.records create-org ORG_ID "Organisation name"
  python -m infoshare_widget.records create-user ORG_ID USERNAME "Full name" "Job title" [--access LEVEL]
                                                                        (password on stdin)
  python -m infoshare_widget.records verify ORG_ID
  python -m infoshare_widget.records access-log ORG_ID [--since YYYY-MM-DD] [--json]
  python -m infoshare_widget.records set-retention ORG_ID YEARS|none
  python -m infoshare_widget.records purge ORG_ID [--apply]
  python -m infoshare_widget.records insight-rebuild

The database is REFLEX_DB_URL (default sqlite:///infoshare.db). The password is read from standard
input (one line), so it stays out of the shell's history and the process list. LEVEL is recorder
(the default), lead, admin or auditor; for the last three, create-user prints the authenticator
address (otpauth://) once, to pass to the person or to turn into a QR code for them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys

from sqlmodel import Session

from infoshare_widget.access import DEFAULT_LEVEL, LEVELS, needs_second_factor
from infoshare_widget.auth import create_user
from infoshare_widget.auth.accounts import provisioning_uri
from infoshare_widget.auth.admin import RESET_LASTS, code_for_command, log_fields, log_for_command
from infoshare_widget.clock import as_utc, uk_day_start
from infoshare_widget.insight.store import rebuild
from infoshare_widget.records.db import get_engine, upgrade
from infoshare_widget.records.models import AccessLog
from infoshare_widget.records.retention import parse_years, purge, set_retention
from infoshare_widget.records.service import RecordError, ensure_organisation, verify_chain


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01") from None


def _log_row(entry: AccessLog) -> dict:
    return {"at": as_utc(entry.at).isoformat(), **log_fields(entry)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infoshare_widget.records", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations")
    org = commands.add_parser("create-org", help="set up an organisation for records")
    org.add_argument("org_id")
    org.add_argument("name")
    user = commands.add_parser("create-user", help="make a practitioner's account")
    for name in ("org_id", "username", "name", "role"):
        user.add_argument(name)
    user.add_argument("--access", choices=LEVELS, default=DEFAULT_LEVEL, help="the access level (default recorder)")
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
    args = parser.parse_args(argv)
    engine = get_engine()
    try:
        if args.command == "migrate":
            upgrade(engine)
            print("The database is up to date.")
            return 0
        with Session(engine) as session:
            if args.command == "create-org":
                ensure_organisation(session=session, org_id=args.org_id, name=args.name)
                print(f"Organisation '{args.org_id}' is ready.")
            elif args.command == "create-user":
                password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
                elevated = needs_second_factor(args.access)
                user = create_user(session=session, org_id=args.org_id, username=args.username, name=args.name,
                                   role=args.role, password=password, access=args.access,
                                   with_second_factor=elevated)
                print(f"Account '{user.username}' made in '{args.org_id}' as {args.access}.")
                if elevated:
                    print("Signing in needs a code from an authenticator app. Add this address to the app "
                          "(it is shown only now):")
                    print(provisioning_uri(session, user))
            elif args.command == "reset-code":
                code = code_for_command(session=session, org_id=args.org_id, username=args.username)
                print(f"One-time code for '{args.username}' (shown only now; it lasts {RESET_LASTS}): {code}")
                print("They set their password with it at /reset-password. Their old password and sessions have ended.")
            elif args.command == "access-log":
                since = uk_day_start(args.since) if args.since else None
                rows = [_log_row(entry) for entry in log_for_command(session=session, org_id=args.org_id,
                                                                     since=since)]
                if args.json:
                    print(json.dumps({"org_id": args.org_id, "entries": rows}, indent=1))
                else:
                    for row in rows:
                        print("\t".join(str(row[k]) for k in ("at", "who", "account", "level", "action", "target",
                                                              "client", "outcome")))
            elif args.command == "set-retention":
                years = parse_years(args.years)
                set_retention(session=session, org_id=args.org_id, years=years)
                print(f"Records of '{args.org_id}' are kept {years} years after their last entry." if years
                      else f"Records of '{args.org_id}' are kept until a retention period is set.")
            elif args.command == "insight-rebuild":
                print(f"Insight facts written again for {rebuild(session)} record(s).")
            elif args.command == "purge":
                found = purge(session=session, org_id=args.org_id, apply=args.apply)
                for item in found:
                    print(f"{item.reference}\tlast entry {item.last_entry_at:%Y-%m-%d}")
                verb = "Removed the content of" if args.apply else "Due for removal:"
                print(f"{verb} {len(found)} record(s)." + ("" if args.apply or not found else
                                                             " Run again with --apply to remove them."))
                if args.apply:
                    report = verify_chain(session=session, org_id=args.org_id)
                    print("The chain still verifies." if report.ok else "The chain does not verify: "
                          + str(report.problem))
                    return 0 if report.ok else 2
            else:
                report = verify_chain(session=session, org_id=args.org_id)
                print(json.dumps(report.as_dict(), indent=1))
                return 0 if report.ok else 2
    except RecordError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
