"""The widget as the browser tests and the benchmarks run it: production mode, the example
partnership plus a test embedding partner, and the test practitioner in a throw-away database."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.accounts import INSIGHT_ORG, PARTNERSHIP_VIEWER, TEST_ORG, TEST_PASSWORD, TEST_USER
from harness.server import ROOT, run_records_command, start_reflex, stop_reflex

# The intranet partner the embedding tests sign identity tokens as.
PARTNER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_test_partnership(folder: Path, host_origin: str, insight: dict | None = None) -> Path:
    """The example partnership, plus one embedding partner whose intranet is at host_origin, and the
    insight organisation's `pat` as a partnership viewer (with `insight` settings added)."""
    data = yaml.safe_load((ROOT / "partnership.example.yaml").read_text(encoding="utf-8"))
    data["insight"] = {**data["insight"], "partnership_viewers": [
        {"organisation": INSIGHT_ORG, "username": PARTNERSHIP_VIEWER}], **(insight or {})}
    public = PARTNER_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (folder / "partner.pub.pem").write_bytes(public)
    data["embed_partners"] = [
        {"issuer": host_origin, "algorithm": "RS256", "public_key_file": "partner.pub.pem",
         "organisations": [TEST_ORG], "origins": [host_origin]}
    ]
    path = folder / "partnership.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Widget:
    """A running widget: its address, and the folder with its database and pickled states (None
    for a widget started elsewhere, E2E_BASE_URL)."""

    url: str
    folder: Path | None
    process: object = None  # the server process (its supervisor), for tests that kill its workers


@contextmanager
def running_widget(folder: Path, host_origin: str, extra_env: dict[str, str] | None = None, *,
                   own_build: bool = False, insight: dict | None = None, port: int | None = None):
    """Start the widget in production mode with the test partnership and practitioner; stop it after.
    A second widget, started while the session's runs, needs its own build (see start_reflex)."""
    partnership = write_test_partnership(folder, host_origin, insight)
    # Every SQL statement's first word, one a line, so tests can count statements per event.
    url, process = start_reflex(ROOT, folder, {"INFOSHARE_PARTNERSHIP_FILE": str(partnership),
                                               "INFOSHARE_SQL_LOG": str(folder / "sql.log"),
                                               # The test intranet's own sign-on header (test_privacy).
                                               "INFOSHARE_PRIVATE_HEADERS": "X-Intranet-SSO",
                                               **(extra_env or {})},
                                own_build=own_build, port=port)
    db_url = (extra_env or {}).get("REFLEX_DB_URL")
    try:
        run_records_command(folder, "create-org", TEST_ORG, "Example Trust", db_url=db_url)
        run_records_command(folder, "create-user", TEST_ORG, TEST_USER, "Sam Jones", "Health visitor",
                            stdin=TEST_PASSWORD + "\n", db_url=db_url)
        yield Widget(url, folder, process)
    finally:
        stop_reflex(process)
