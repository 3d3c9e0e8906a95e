"""Benchmark: faults under load, counted. The widget with two Granian workers sharing a Redis of the
bench's own (so it can be killed), USERS practitioners connected through the socket.io driver, one in
five signed in. Printed:

1. one worker killed with SIGKILL: how long until the server answers again, how many sockets dropped
   and how many came back by themselves (reconnecting with the same tab token, as the page does), and
   how many signed-in practitioners were still signed in (each records again with the secret its tab
   holds);
2. Redis killed and started again empty 5 seconds later, while every user changes page: events with
   no answer within 5 seconds (the target is none: each gets its answer or the trouble signal), how
   many were told to retry, and how many got through on the retry once Redis was back; then how many
   were still signed in;
3. Redis frozen (SIGSTOP, as a Redis that hangs rather than refusing) for 20 seconds while every
   user changes page: how many heard something (the answer, or the trouble signal) within 5 seconds
   (compat/redis_bounds.py bounds each command), and how many got through once it was thawed;
4. a worker killed a few milliseconds after every signed-in practitioner presses "Record this
   decision": how many presses got no answer, how many the page's watchdog sent again (the driver
   does what assets/trouble.js does: after 8 seconds, the same event, the same key), how long until
   each had its reference, and whether the database holds exactly one record for each press;
5. after each: the acknowledged records against the rows in the database, and whether the chain
   verifies.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import tempfile
import time
from pathlib import Path

import httpx

from bench import practitioner
from bench.sio import Build, Client, field_of, page_changed
from harness.accounts import TEST_ORG
from harness.processes import children
from harness.records import records_and_chain
from harness.redis import PrivateRedis
from harness.server import free_port

USERS = int(os.environ.get("INFOSHARE_BENCH_FAULT_USERS", "100"))
SIGNED_IN_SHARE = 5


class Practitioner:
    def __init__(self, build: Build, url: str, n: int):
        self.client = Client(build, url, url, path="/")
        self.n = n
        self.secret = ""
        self.records = 0

    async def record(self) -> bool:
        """Record a decision with the tab's secret; whether it was acknowledged (a reference came)."""
        try:
            await practitioner.record(self.client, self.secret, f"fault-{self.n}-{self.records}-{time.time_ns()}",
                                      30, walk=self.records)
        except practitioner.NotDone:
            return False
        self.records += 1
        return True


async def _reconnect(people: list[Practitioner], within: float) -> tuple[int, int]:
    """Reconnect every dropped socket, as the page does; (dropped, back)."""
    dropped = [p for p in people if not p.client.connected]

    async def back(p: Practitioner) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                await p.client.connect(10)
                return True
            await asyncio.sleep(0.5)
        return False

    results = await asyncio.gather(*(back(p) for p in dropped))
    return len(dropped), sum(results)


async def _still_signed_in(signed: list[Practitioner]) -> tuple[int, int]:
    """Each signed-in practitioner records again; (still signed in, acknowledged records so far)."""
    ok = await asyncio.gather(*(p.record() for p in signed), return_exceptions=True)
    return sum(1 for r in ok if r is True), sum(p.records for p in signed)


async def _page_change_through_outage(p: Practitioner, path: str) -> tuple[float, str]:
    """Change page while Redis may be down: (seconds to the first answer, 'answered'/'trouble'/'none');
    on a retry signal, send again (1, 2, 4, then 5 s apart) until it gets through."""
    p.client.path = path
    started = time.perf_counter()
    first: tuple[float, str] | None = None
    arrived = page_changed(path)
    pause = iter([1, 2, 4] + [5] * 60)
    seq = await p.client.emit("on_load_internal", {})
    deadline = started + 90
    while time.perf_counter() < deadline:
        try:
            update = await p.client.next_update(max(0.01, deadline - time.perf_counter()))
        except Exception:
            break
        delta = update.get("delta") or {}
        if arrived(delta):
            return first or (time.perf_counter() - started, "answered")
        trouble = field_of(delta, "trouble_state", "signal")
        if trouble and trouble.startswith(f"{seq}:"):
            first = first or (time.perf_counter() - started, "trouble")
            if trouble.endswith(":retry"):
                await asyncio.sleep(next(pause))
                seq = await p.client.emit("on_load_internal", {}, retry=True)
    return first or (time.perf_counter() - started, "none")




async def _through_an_outage(people: list[Practitioner], signed: list[Practitioner], folder: Path, begin, end,
                             seconds: float) -> tuple[list[tuple[float, str]], str]:
    """Every user changes page while Redis is out (`begin`, then `end` after `seconds`); each page
    change's (seconds to the first answer, how), and the table's last three cells: connections,
    still signed in, and records against the database."""
    begin()
    started = time.perf_counter()
    tasks = [asyncio.create_task(_page_change_through_outage(p, "/glossary" if p.n % 2 else "/sign-in"))
             for p in people]
    await asyncio.sleep(max(0.0, seconds - (time.perf_counter() - started)))
    end()
    results = await asyncio.gather(*tasks)
    dropped, back = await _reconnect(people, 60)
    still, acknowledged = await _still_signed_in(signed)
    rows, verified = records_and_chain(f"sqlite:///{folder / 'e2e.db'}", TEST_ORG)
    return results, (f"{dropped} sockets dropped, {back} back | {still} of {len(signed)} still signed in | "
                     f"{acknowledged} acknowledged, {rows} in the database, chain {'verifies' if verified else 'BROKEN'}")


async def _run(url: str, supervisor: int, build: Build, redis, folder: Path) -> None:
    people = [Practitioner(build, url, n) for n in range(USERS)]
    await asyncio.gather(*(p.client.connect(60) for p in people))
    signed = people[::SIGNED_IN_SHARE]
    for p in signed:
        _, p.secret = await practitioner.sign_in(p.client, 60)
        await p.record()

    # 1. A worker killed.
    victim = sorted(children(supervisor))[0]
    os.kill(victim, signal.SIGKILL)
    killed = time.perf_counter()
    async with httpx.AsyncClient() as http:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(url + "/ping", timeout=2)).status_code == 200 and len(
                        children(supervisor) - {victim}) >= 2:
                    break
            await asyncio.sleep(0.1)
    answering = time.perf_counter() - killed
    await asyncio.sleep(1)
    dropped, back = await _reconnect(people, 60)
    still, acknowledged = await _still_signed_in(signed)
    rows, verified = records_and_chain(f"sqlite:///{folder / 'e2e.db'}", TEST_ORG)
    print(f"| worker killed (SIGKILL, 1 of 2) | replaced and answering in {answering:.1f} s | {dropped} of {USERS} "
          f"sockets dropped, {back} back by themselves | {still} of {len(signed)} still signed in | "
          f"{acknowledged} acknowledged, {rows} in the database, chain {'verifies' if verified else 'BROKEN'} |",
          flush=True)

    # 2. Redis down for 5 s, every user changing page through it.
    results, after = await _through_an_outage(people, signed, folder, redis.kill, redis.start, 5)
    late = sum(1 for seconds, how in results if how == "none" or seconds > 5)
    told = sum(1 for _, how in results if how == "trouble")
    print(f"| Redis killed, back (empty) after 5 s | {late} of {USERS} page changes unanswered after 5 s; "
          f"{told} told to retry, {sum(1 for _, how in results if how != 'none')} through in the end | {after} |",
          flush=True)
    # 3. Redis frozen for 20 s, every user changing page through it.
    results, after = await _through_an_outage(people, signed, folder, redis.freeze, redis.thaw, 20)
    heard = sorted(seconds for seconds, how in results if how != "none")
    told = sum(1 for _, how in results if how == "trouble")
    print(f"| Redis frozen (SIGSTOP) for 20 s | {sum(1 for s in heard if s <= 5)} of {USERS} page changes heard "
          f"within 5 s (slowest {heard[-1] if heard else float('nan'):.1f} s); {told} told to retry, "
          f"{len(heard)} through in the end | {after} |", flush=True)

    # 4. A worker killed a moment after every signed-in practitioner presses "Record this decision".
    before, _ = records_and_chain(f"sqlite:///{folder / 'e2e.db'}", TEST_ORG)
    victim = sorted(children(supervisor))[0]
    presses = await asyncio.gather(*(_press_through_a_killed_worker(p, victim) for p in signed))
    rows, verified = records_and_chain(f"sqlite:///{folder / 'e2e.db'}", TEST_ORG)
    saved = _saved_by_key(f"sqlite:///{folder / 'e2e.db'}", [key for *_, key, _ in presses])
    once = sum(1 for refs in saved.values() if len(refs) == 1)
    shown = sum(1 for *_, key, reference in presses if saved[key] == [reference])
    resent = sum(1 for _, how, *_ in presses if how == "resent")
    print(f"| worker killed as {len(signed)} presses of Record are sent | {resent} unanswered, sent again after 8 s; "
          f"every press had its reference in {max(s for s, *_ in presses):.1f} s at most | | | {len(signed)} presses, "
          f"{rows - before} new records; {once} presses saved exactly once, {shown} shown their own record's "
          f"reference; chain {'verifies' if verified else 'BROKEN'} |", flush=True)
    for p in people:
        with contextlib.suppress(Exception):
            await p.client.close()


WATCHDOG_SECONDS = 8  # as assets/trouble.js


async def _press(p: Practitioner, key: str) -> str:
    """Press Record with this key; the reference shown (NotDone or a timeout when none comes). As the
    page does, the answer is the update after the server's "done" for this very event: updates from
    before it (a reconnect's hydrate, a slow earlier event) may carry an older reference."""
    seq = await p.client.emit("record_decision", {"answers": practitioner.REFER_NOW, "walk": 1000 + p.n,
                                                  "secret": p.secret, "key": key})
    deadline = time.perf_counter() + WATCHDOG_SECONDS
    done = False
    while True:
        delta = (await p.client.next_update(max(0.01, deadline - time.perf_counter()))).get("delta") or {}
        signal_ = field_of(delta, "trouble_state", "signal") or ""
        if signal_.startswith(f"{seq}:"):
            if not signal_.endswith(":done"):
                raise practitioner.NotDone(signal_)
            done = True
        if done and (reference := field_of(delta, "record_state", "reference")):
            return reference
        if done and field_of(delta, "record_state", "error"):
            raise practitioner.NotDone(field_of(delta, "record_state", "error"))


async def _press_through_a_killed_worker(p: Practitioner, victim: int) -> tuple[float, str, str, str]:
    """Press Record (one key for this press); a moment later the worker is killed (by whichever press
    gets there first). No answer in 8 s: reconnect if the socket went, and send the same event again,
    as the page's watchdog does. (seconds to the reference, 'answered', 'resent' or 'never', the key,
    the reference shown)."""
    key = f"killed-{p.n}-{time.time_ns()}"
    while not p.client.updates.empty():  # nothing left over from the faults before counts as the answer
        p.client.updates.get_nowait()
    started = time.perf_counter()
    press = asyncio.create_task(_press(p, key))
    await asyncio.sleep(0.005)
    with contextlib.suppress(ProcessLookupError):
        os.kill(victim, signal.SIGKILL)
    try:
        return time.perf_counter() - started, "answered", key, await press
    except (asyncio.TimeoutError, ConnectionError, practitioner.NotDone):
        pass
    deadline = started + 60
    while time.perf_counter() < deadline:
        with contextlib.suppress(Exception):
            if not p.client.connected:
                await p.client.connect(10)
            return time.perf_counter() - started, "resent", key, await _press(p, key)
        await asyncio.sleep(0.5)
    return time.perf_counter() - started, "never", key, ""


def _saved_by_key(db_url: str, keys: list[str]) -> dict[str, list[str]]:
    """The references of the records saved with each key."""
    from sqlmodel import Session, select

    from infoshare_widget.base.db import make_engine
    from infoshare_widget.records.models import DecisionRecord

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(DecisionRecord.client_key, DecisionRecord.reference)
                                .where(DecisionRecord.client_key.in_(keys))).all()
    finally:
        engine.dispose()
    saved: dict[str, list[str]] = {key: [] for key in keys}
    for key, reference in rows:
        saved[key].append(reference)
    return saved


def main() -> None:
    from harness.widget import running_widget

    print(f"{USERS} practitioners connected over socket.io, {USERS // SIGNED_IN_SHARE} signed in; "
          "two workers sharing a Redis of the bench's own.\n")
    print("| fault | server and events | connections | signed in | records |")
    print("|---|---|---|---|---|")
    try:
        redis = PrivateRedis()
    except FileNotFoundError as missing:
        print(f"(not run: {missing})")
        return
    redis.start()
    try:
        with tempfile.TemporaryDirectory(prefix="infoshare-faults-") as tmp:
            folder = Path(tmp)
            with running_widget(folder, f"http://127.0.0.1:{free_port()}",
                                {"REFLEX_REDIS_URL": redis.url, "GRANIAN_WORKERS": "2"}, own_build=True) as started:
                build = Build.read(folder / "web", practitioner.HANDLERS)
                asyncio.run(_run(started.url, started.process.pid, build, redis, folder))
    finally:
        redis.kill()
