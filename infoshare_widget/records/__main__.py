"""Admin commands for records.

  python -m infoshare_widget.records migrate
  python -m infoshare_widget.records create-org ORG_ID "Organisation name"
  python -m infoshare_widget.records create-user ORG_ID USERNAME "Full name" "Role"   (password on stdin)
  python -m infoshare_widget.records verify ORG_ID

The database is REFLEX_DB_URL (default sqlite:///infoshare.db). The password is read from standard
input (one line), so it stays out of the shell's history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from sqlmodel import Session

from infoshare_widget.auth import create_user
from infoshare_widget.records.db import get_engine, upgrade
from infoshare_widget.records.service import RecordError, ensure_organisation, verify_chain


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
    check = commands.add_parser("verify", help="check an organisation's chain of records")
    check.add_argument("org_id")
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
                create_user(session=session, org_id=args.org_id, username=args.username, name=args.name,
                            role=args.role, password=password)
                print(f"Account '{args.username}' made in '{args.org_id}'.")
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
