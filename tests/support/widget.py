"""The running widget for the browser tests, from harness: started with the test partnership and
practitioner (running_widget), the partnership file, the embedding partner's key, and decision
records written into its database and counted. The session's widget fixture is in
tests/e2e/conftest.py."""

from harness.records import add_records, records_and_chain
from harness.widget import PARTNER_KEY, Widget, running_widget, write_test_partnership

__all__ = ["PARTNER_KEY", "Widget", "add_records", "records_and_chain", "running_widget", "write_test_partnership"]
