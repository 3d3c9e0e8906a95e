"""More than one machine: two widget instances (separate processes on separate ports, as separate
machines would be) behind Debian's nginx with TLS (a certificate made here), sharing PostgreSQL and
Redis, configured from deploy/nginx.conf.template. A real Chromium walks a decision through nginx;
the instance its websocket is on is killed in the middle; the page reconnects to the other one and
keeps its place and its sign-in, and the decision is recorded exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect


from tests.support import (NGINX, ROOT, established_tcp, free_port, nginx_in_front, records_and_chain, require,
                           run_records_command, start_reflex)
from tests.support.accounts import TEST_ORG, TEST_PASSWORD, TEST_USER
from tests.support.redis import REDIS, redis_is_up
from tests.support.widget import write_test_partnership

REDIS_DB = 12


def _upstream_connections(ports: list[int]) -> dict[int, int]:
    """How many established TCP connections there are to each instance port (from nginx)."""
    counts = {p: 0 for p in ports}
    for _, remote, _ in established_tcp():
        if remote in counts:
            counts[remote] += 1
    return counts


API_KEY = "k" * 32


async def _wrong_password(web: Path, url: str, origin: str, local: str, headers: dict | None = None) -> None:
    """A sign-in with a wrong password over the widget's socket, from the loopback address `local`."""
    from bench.sio import Build, Client, field_of

    client = Client(Build.read(web, ("submit_sign_in",)), url, origin, path="/sign-in", local_address=local,
                    headers=headers, verify_tls=False)
    await client.connect()
    try:
        await client.call("submit_sign_in", {"form": {"organisation": TEST_ORG, "username": TEST_USER,
                                                      "password": "not the password"}},
                          lambda d: field_of(d, "auth_state", "sign_in_error"), 30)
    finally:
        await client.close()


def _each_person_s_own_address_is_seen(web: Path, public: str, instance: int, db_url: str) -> None:
    """Behind nginx the sign-in throttle and the access log see each client's own address, over the
    socket and the API alike; a client that reaches an instance directly cannot claim another's."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import Session, select

    from infoshare_widget.base.db import make_engine
    from infoshare_widget.base.models import AccessLog
    from infoshare_widget.auth.models import SignInFailure

    direct = f"http://127.0.0.1:{instance}"
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _wrong_password(web, public, public, "127.0.0.7")).result()
        pool.submit(asyncio.run, _wrong_password(web, direct, public, "127.0.0.9",
                                                 {"X-Forwarded-For": "203.0.113.66"})).result()
    key = {"Authorization": f"Bearer {API_KEY}"}
    for url, local, headers in ((public, "127.0.0.8", {}), (direct, "127.0.0.10", {"X-Forwarded-For": "203.0.113.67"})):
        with httpx.Client(transport=httpx.HTTPTransport(local_address=local, verify=False)) as http:
            assert http.get(url + "/api/v1/records/verify", headers={**key, **headers}).status_code == 200
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            failed = {(e.action, e.client) for e in session.exec(select(AccessLog).where(AccessLog.outcome != "ok"))}
            api = {e.client for e in session.exec(select(AccessLog).where(AccessLog.action == "verify"))}
            throttled_by = {f.client for f in session.exec(select(SignInFailure))}
    finally:
        engine.dispose()
    assert failed == {("sign in", "127.0.0.7"), ("sign in", "127.0.0.9")}
    assert api == {"127.0.0.8", "127.0.0.10"}
    assert throttled_by == {"127.0.0.7", "127.0.0.9"}


def test_two_instances_behind_nginx_survive_losing_one_in_the_middle_of_a_walk(browser: Browser, tmp_path,
                                                                               host_ports):
    if not Path(NGINX).exists():
        require("REDIS", "nginx is not installed (make test installs Debian's nginx-light)")
    if not redis_is_up():
        require("REDIS", "Redis is not running at 127.0.0.1:6379")
    from tests.support.databases import postgres_database
    import redis

    db_url, drop = postgres_database()
    redis.Redis(*REDIS, db=REDIS_DB).flushdb()
    public_port = free_port()
    public = f"https://127.0.0.1:{public_port}"
    partnership = write_test_partnership(tmp_path, f"http://127.0.0.1:{host_ports[0]}")
    env = {"REFLEX_DB_URL": db_url, "REFLEX_REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}",
           "INFOSHARE_PUBLIC_ORIGIN": public, "REFLEX_API_URL": public,
           "INFOSHARE_PARTNERSHIP_FILE": str(partnership),
           # As deploy/infoshare.env.example: nginx, on this host, is the one proxy believed.
           "INFOSHARE_TRUSTED_PROXIES": "127.0.0.1 ::1", "INFOSHARE_API_KEYS": f"{TEST_ORG}={API_KEY}"}
    instances = []
    stack = contextlib.ExitStack()
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            url, process = start_reflex(ROOT, folder, env, own_build=True)
            instances.append((int(url.rsplit(":", 1)[1]), process, folder))
        run_records_command(tmp_path, "create-org", TEST_ORG, "Example Trust", db_url=db_url)
        run_records_command(tmp_path, "create-user", TEST_ORG, TEST_USER, "Sam Jones", "Health visitor",
                            stdin=TEST_PASSWORD + "\n", db_url=db_url)
        ports = [port for port, _, _ in instances]
        assert stack.enter_context(nginx_in_front(tmp_path, public_port, ports,
                                                  instances[0][2] / "web" / "build" / "client")) == public

        # nginx serves the assets itself; the pages come from an instance, with their headers.
        page_response = httpx.get(public + "/", verify=False)
        asset = page_response.text.split('rel="modulepreload" href="', 1)[1].split('"', 1)[0]
        served = httpx.get(public + asset, verify=False)
        assert served.headers.get("x-served-by") == "nginx"
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        # As the build compressed it: Brotli for a browser that takes it, else gzip (the bytes on disk).
        static = instances[0][2] / "web" / "build" / "client"
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            with httpx.stream("GET", public + asset, verify=False,
                              headers={"accept-encoding": f"{encoding}"}) as response:
                assert response.headers["content-encoding"] == encoding
                assert b"".join(response.iter_raw()) == (static / (asset.lstrip("/") + suffix)).read_bytes()
        # The build's unhashed top-level files from nginx too, asked about each time.
        hours = httpx.get(public + "/hours.js", verify=False, headers={"accept-encoding": "br"})
        assert hours.headers.get("x-served-by") == "nginx" and hours.headers["cache-control"] == "no-cache"
        assert hours.headers["content-encoding"] == "br" and "INFOSHARE_HOURS" in hours.text
        again = httpx.get(public + "/hours.js", verify=False, headers={"if-none-match": hours.headers["etag"],
                                                                          "accept-encoding": "br"})
        assert again.status_code == 304
        # The manifest is made by an instance from the partnership file, not served from disk.
        assert httpx.get(public + "/manifest.webmanifest", verify=False).headers.get("x-served-by") is None
        # The pages, from an instance: Brotli too, rewritten with the stylesheet inside.
        page_br = httpx.get(public + "/", verify=False, headers={"accept-encoding": "br"})
        assert page_br.headers["content-encoding"] == "br" and "data-inlined=" in page_br.text
        assert f"wss://127.0.0.1:{public_port}" in page_response.headers["content-security-policy"]
        assert page_response.headers["strict-transport-security"].startswith("max-age=")

        context = browser.new_context(viewport={"width": 1024, "height": 800}, ignore_https_errors=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(public + "/sign-in")
            expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
            page.get_by_label("Organisation").fill(TEST_ORG)
            page.get_by_label("Username").fill(TEST_USER)
            page.get_by_label("Password").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=30_000)
            page.get_by_role("link", name="Decide", exact=True).click()
            expect(page.locator("#widget-ready")).to_be_attached()
            # Half-way through the walk, the instance holding this page's websocket dies.
            page.locator('[data-step="immediate_danger"]').get_by_role("radio", name="No", exact=True).check()
            page.locator('[data-step="immediate_danger"]').get_by_role("button", name="Continue").click()
            time.sleep(0.5)
            held = {port: n for port, n in _upstream_connections(ports).items() if n}
            assert len(held) == 1, f"the page's websocket should be on one instance: {held}"
            doomed = next(iter(held))
            process = next(p for port, p, _ in instances if port == doomed)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            page.locator('[data-step="significant_harm"]').get_by_role("radio", name="Yes", exact=True).check()
            page.locator('[data-step="significant_harm"]').get_by_role("button", name="Continue").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
            page.get_by_role("button", name="Record this decision").click()
            expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible(timeout=30_000)
            survivor = next(port for port in ports if port != doomed)
            assert _upstream_connections([survivor])[survivor] >= 1  # reconnected to the other one
            assert not errors, errors
        finally:
            context.close()
        assert records_and_chain(db_url, TEST_ORG) == (1, True)
        _each_person_s_own_address_is_seen(instances[0][2] / "web", public, survivor, db_url)
    finally:
        stack.close()  # nginx
        for _, process, _ in instances:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        drop()
