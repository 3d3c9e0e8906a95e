"""The alerts' pure cores, table by table: which decisions alert, when a failed message is tried
again, what the messages say (and never), webhook signatures, and the settings' errors."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest
import standardwebhooks

from infoshare_widget.alerts.delivery import claim_seconds, poll_seconds
from infoshare_widget.alerts.events import (
    ALERTING_OUTCOMES,
    DIGEST,
    EVENTS,
    alert_payload,
    alerts_on_record,
    digest_payload,
    email_for,
    next_try,
    to_json,
    uk_time,
)
from infoshare_widget.alerts.mail import MailSettingsError, smtp_settings
from infoshare_widget.alerts.service import AlertSettingsError, check_webhook_secrets, digest_hour
from infoshare_widget.alerts.signing import SecretError, headers, secret_bytes, signature
from infoshare_widget.base.addresses import checked_address
from infoshare_widget.base.settings import WEBHOOK_EVENTS, Webhook
from infoshare_widget.flowchart.chart import OUTCOME_KINDS, get_chart

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
T0 = dt.datetime(2026, 12, 4, 16, 50, tzinfo=dt.UTC)


@pytest.mark.parametrize("outcome, kind, alerts", [
    ("emergency", "emergency", True),
    ("emergency_unsure", "emergency", True),
    ("refer_now", "refer_now", True),
    ("consult_front_door", "seek_advice", True),
    ("seek_advice", "seek_advice", False),
    ("share_with_consent", "share_with_consent", False),
    ("respect_refusal", "do_not_share", False),
    ("check_request", "seek_advice", False),
])
def test_which_decisions_alert(outcome, kind, alerts):
    assert alerts_on_record(outcome, kind) is alerts


def test_the_outcomes_named_in_the_rule_are_in_the_chart():
    """Renaming the front door's consultation in the content would silently stop its alerts."""
    chart = get_chart()
    assert ALERTING_OUTCOMES <= set(chart.outcomes)
    assert {"emergency", "refer_now"} <= set(OUTCOME_KINDS)


def test_the_events_are_the_ones_the_partnership_file_may_name():
    assert EVENTS == WEBHOOK_EVENTS


@pytest.mark.parametrize("tries, wait", [
    (1, dt.timedelta(seconds=30)), (2, dt.timedelta(minutes=1)), (3, dt.timedelta(minutes=2)),
    (4, dt.timedelta(minutes=4)), (7, dt.timedelta(minutes=32)), (8, dt.timedelta(hours=1)),
    (20, dt.timedelta(hours=1)),
])
def test_a_failed_message_waits_longer_each_time_up_to_an_hour(tries, wait):
    assert next_try(tries, T0, T0) == T0 + wait


@pytest.mark.parametrize("queued_ago, gives_up", [
    (dt.timedelta(hours=23), False), (dt.timedelta(hours=23, minutes=59), True), (dt.timedelta(hours=30), True)])
def test_after_24_hours_it_is_given_up(queued_ago, gives_up):
    now = T0 + queued_ago
    assert (next_try(12, T0, now) is None) is gives_up


@pytest.mark.parametrize("moment, words", [
    (T0, "16:50 on Friday 4 December 2026"),
    (dt.datetime(2026, 7, 1, 8, 5, tzinfo=dt.UTC), "09:05 on Wednesday 1 July 2026"),  # British Summer Time
])
def test_times_are_in_uk_words(moment, words):
    assert uk_time(moment) == words


def payload(event="decision.recorded", kind="refer_now"):
    return alert_payload(event=event, alert_id="a" * 32, organisation="Trust A", org_id="trust-a",
                         reference="IS-ABCD-EFGH", outcome_kind=kind, at=T0,
                         link="https://infoshare.example.org/records/" + "r" * 32)


def test_a_message_holds_only_the_organisation_reference_outcome_time_and_link():
    message = payload()
    assert set(message) == {"type", "timestamp", "data"}
    assert set(message["data"]) == {"alert_id", "organisation", "organisation_id", "reference", "outcome_kind",
                                    "outcome", "link"}
    email = email_for(message, to="lee@trust-a.example.org", sender="alerts@infoshare.example.org",
                      message_id="<x@infoshare.invalid>")
    assert email["Subject"] == "A decision was recorded: IS-ABCD-EFGH (Trust A)"
    body = email.get_content()
    for fact in ("Trust A", "IS-ABCD-EFGH", "Refer to the front door now", "16:50 on Friday 4 December 2026",
                 "https://infoshare.example.org/records/" + "r" * 32, "holds no details"):
        assert fact in body
    assert email["Message-ID"] == "<x@infoshare.invalid>" and email["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize("event, subject", [
    ("follow_up.not_done", 'A follow-up was marked "Not done": IS-ABCD-EFGH (Trust A)'),
    ("follow_up.overdue", "A follow-up is past its check-by date: IS-ABCD-EFGH (Trust A)"),
])
def test_each_event_says_what_happened(event, subject):
    email = email_for(payload(event), to="a@b.example.org", sender="c@d.example.org")
    assert email["Subject"] == subject


@pytest.mark.parametrize("count, subject", [(1, "1 follow-up past the check-by date (Trust A)"),
                                            (3, "3 follow-ups past the check-by date (Trust A)")])
def test_the_digest_lists_each_overdue_record_once(count, subject):
    items = [{"reference": f"IS-AAAA-AAA{n}", "outcome": "Refer to the front door now", "link": f"https://x/records/{n}",
              "secret": "never copied"} for n in range(count)]
    message = digest_payload(organisation="Trust A", org_id="trust-a", day=dt.date(2026, 12, 8), items=items,
                             link="https://x/records")
    assert message["type"] == DIGEST and "never copied" not in to_json(message)
    email = email_for(message, to="a@b.example.org", sender="c@d.example.org")
    assert email["Subject"] == subject
    body = email.get_content()
    assert all(f"IS-AAAA-AAA{n}" in body for n in range(count))


def test_signatures_are_the_standard_webhooks_scheme():
    body = to_json(payload())
    key = secret_bytes(SECRET)
    sent = headers(key, "msg_1", int(T0.timestamp()), body)
    # By hand, from the scheme: base64 HMAC-SHA256 of "id.timestamp.body" with the decoded secret.
    by_hand = base64.b64encode(hmac.new(base64.b64decode(SECRET[6:]), f"msg_1.{int(T0.timestamp())}.{body}".encode(),
                                        hashlib.sha256).digest()).decode()
    assert sent["webhook-signature"] == "v1," + by_hand
    # And by the scheme's own library (which checks the timestamp is recent, so sign now).
    now = int(dt.datetime.now(dt.UTC).timestamp())
    verified = standardwebhooks.Webhook(SECRET).verify(body, headers(key, "msg_2", now, body))
    assert verified == json.loads(body)
    assert signature(key, "msg_2", now, body) != signature(key, "msg_3", now, body)


@pytest.mark.parametrize("secret, problem", [
    ("", "bytes"), ("whsec_not base64!", "not base64"), ("whsec_" + base64.b64encode(b"short").decode(), "5 bytes"),
    (base64.b64encode(b"x" * 65).decode(), "65 bytes"),
])
def test_a_bad_secret_is_refused_without_showing_it(secret, problem):
    with pytest.raises(SecretError, match=problem) as caught:
        secret_bytes(secret)
    assert secret[6:] not in str(caught.value) or not secret[6:]


def test_every_webhook_needs_its_secret_set():
    hook = Webhook(url="https://partner.example.org/hooks", secret_env="PARTNER_HOOK_SECRET",
                   events=("decision.recorded",))
    with pytest.raises(AlertSettingsError, match="PARTNER_HOOK_SECRET: set the signing secret"):
        check_webhook_secrets((hook,), {})
    with pytest.raises(AlertSettingsError, match="PARTNER_HOOK_SECRET: the secret is not base64"):
        check_webhook_secrets((hook,), {"PARTNER_HOOK_SECRET": "whsec_%%%"})
    check_webhook_secrets((hook,), {"PARTNER_HOOK_SECRET": SECRET})


@pytest.mark.parametrize("url, ok", [
    ("https://partner.example.org/hooks/infoshare", True),
    ("https://partner.example.org:8443/h", True),
    ("http://127.0.0.1:9000/hooks", True),
    ("http://localhost:9000/hooks", True),
    ("http://partner.example.org/hooks", False),
    ("ftp://partner.example.org/hooks", False),
    ("https://user:pass@partner.example.org/", False),
    ("https://partner.example.org/<script>", False),
])
def test_webhooks_go_over_https_only(url, ok):
    if ok:
        assert Webhook(url=url, secret_env="X", events=("decision.recorded",)).url == url
    else:
        with pytest.raises(ValueError):
            Webhook(url=url, secret_env="X", events=("decision.recorded",))


def test_a_webhook_names_known_events_only():
    with pytest.raises(ValueError, match="unknown event record.deleted"):
        Webhook(url="https://p.example.org/h", secret_env="X", events=("record.deleted",))
    with pytest.raises(ValueError):
        Webhook(url="https://p.example.org/h", secret_env="X", events=())


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"INFOSHARE_SMTP_URL": "smtp://127.0.0.1:2525", "INFOSHARE_MAIL_FROM": "alerts@example.org"},
     ("127.0.0.1", 2525, False, None, None)),
    ({"INFOSHARE_SMTP_URL": "smtps://alerts@mail.example.org", "INFOSHARE_SMTP_PASSWORD": "pw",
      "INFOSHARE_MAIL_FROM": "alerts@example.org"}, ("mail.example.org", 465, True, "alerts", "pw")),
    ({"INFOSHARE_SMTP_URL": "smtp://mail.example.org", "INFOSHARE_MAIL_FROM": "alerts@example.org"},
     ("mail.example.org", 25, False, None, None)),
])
def test_smtp_settings(environ, expected):
    found = smtp_settings(environ)
    assert (found if found is None else (found.host, found.port, found.tls, found.user, found.password)) == expected


@pytest.mark.parametrize("environ, problem", [
    ({"INFOSHARE_SMTP_URL": "http://mail.example.org"}, "INFOSHARE_SMTP_URL: use smtp://"),
    ({"INFOSHARE_SMTP_URL": "smtps://a:secret@mail.example.org"}, "put the password in INFOSHARE_SMTP_PASSWORD"),
    ({"INFOSHARE_SMTP_URL": "smtp://mail.example.org:99999", "INFOSHARE_MAIL_FROM": "a@b.org"}, "the port"),
    ({"INFOSHARE_SMTP_URL": "smtp://mail.example.org"}, "INFOSHARE_MAIL_FROM: set the address"),
    ({"INFOSHARE_SMTP_URL": "smtp://mail.example.org", "INFOSHARE_MAIL_FROM": "not an address"},
     "INFOSHARE_MAIL_FROM: 'not an address' is not an email address"),
])
def test_wrong_smtp_settings_say_what_is_wrong_and_never_the_password(environ, problem):
    with pytest.raises(MailSettingsError, match=problem) as caught:
        smtp_settings(environ)
    assert "secret" not in str(caught.value)


def test_the_smtp_settings_never_show_the_password():
    found = smtp_settings({"INFOSHARE_SMTP_URL": "smtps://u@mail.example.org:465", "INFOSHARE_SMTP_PASSWORD": "hunter22",
                           "INFOSHARE_MAIL_FROM": "alerts@example.org"})
    assert "hunter22" not in repr(found) and "hunter22" not in str(found)


@pytest.mark.parametrize("address, normal", [
    ("Lee.Lead@Trust-A.example.org", "Lee.Lead@trust-a.example.org"),
    ("  dsl@school.example.org ", "dsl@school.example.org"),
])
def test_addresses_are_checked_and_normalised(address, normal):
    assert checked_address(address) == normal


@pytest.mark.parametrize("address", ["lee", "lee@", "@trust.org", "lee@@trust.org", "lee trust@example.org", ""])
def test_a_bad_address_is_a_clear_error(address):
    with pytest.raises(ValueError, match="is not an email address"):
        checked_address(address)


@pytest.mark.parametrize("read, environ, expected", [
    (digest_hour, {}, 7), (digest_hour, {"INFOSHARE_DIGEST_HOUR": "0"}, 0),
    (poll_seconds, {}, 5.0), (poll_seconds, {"INFOSHARE_OUTBOX_POLL_SECONDS": "0.5"}, 0.5),
    (claim_seconds, {}, 120), (claim_seconds, {"INFOSHARE_OUTBOX_CLAIM_SECONDS": "30"}, 30),
])
def test_worker_settings(read, environ, expected):
    assert read(environ) == expected


@pytest.mark.parametrize("read, environ", [
    (digest_hour, {"INFOSHARE_DIGEST_HOUR": "24"}), (digest_hour, {"INFOSHARE_DIGEST_HOUR": "seven"}),
    (poll_seconds, {"INFOSHARE_OUTBOX_POLL_SECONDS": "0"}), (poll_seconds, {"INFOSHARE_OUTBOX_POLL_SECONDS": "x"}),
    (claim_seconds, {"INFOSHARE_OUTBOX_CLAIM_SECONDS": "1"}),
])
def test_wrong_worker_settings_are_refused(read, environ):
    with pytest.raises(ValueError, match=next(iter(environ))):
        read(environ)


def test_the_start_up_log_says_once_where_alerts_go(monkeypatch, caplog):
    from infoshare_widget import outbox
    from infoshare_widget.alerts.service import Outbound

    monkeypatch.setattr(outbox, "outbound", lambda: Outbound(mail=None, webhooks=(), origin="https://x.example.org"))
    with caplog.at_level("WARNING", logger="infoshare_widget.alerts"):
        outbox.say_how_alerts_go()
    assert [r.getMessage() for r in caplog.records] == [
        "alerts: INFOSHARE_SMTP_URL is not set, so alerts stay in the widget (\"Needs your attention\" on /records) "
        "and no email is sent"]
    caplog.clear()
    mail = smtp_settings({"INFOSHARE_SMTP_URL": "smtps://u@mail.example.org", "INFOSHARE_SMTP_PASSWORD": "hunter22",
                          "INFOSHARE_MAIL_FROM": "alerts@example.org"})
    monkeypatch.setattr(outbox, "outbound", lambda: Outbound(mail=mail, webhooks=(), origin="https://x.example.org"))
    with caplog.at_level("WARNING", logger="infoshare_widget.alerts"):
        outbox.say_how_alerts_go()
    [line] = [r.getMessage() for r in caplog.records]
    assert "smtps://mail.example.org:465" in line and "hunter22" not in line


def test_serve_says_where_alerts_go_before_the_workers_start(monkeypatch):
    """Once, in the launcher: each worker process imports the app, so a log there would repeat."""
    from infoshare_widget import cli, outbox
    from infoshare_widget.web import serve as serve_module

    calls = []
    monkeypatch.setattr(outbox, "say_how_alerts_go", lambda: calls.append("said"))
    monkeypatch.setattr(serve_module, "serve", lambda argv: calls.append(("serve", tuple(argv))))
    assert cli.main(["serve", "run", "--env", "prod"]) == 0
    assert calls == ["said", ("serve", ("run", "--env", "prod"))]
