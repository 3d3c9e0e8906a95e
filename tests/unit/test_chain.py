"""The hash chain, pure: each link's hash covers the previous link's hash, so a rewrite cannot hide."""

from infoshare_widget.base.models import GENESIS
from infoshare_widget.records.chain import Link, link_hash, verify


def _chain(contents: list[dict]) -> list[Link]:
    links, previous = [], GENESIS
    for seq, content in enumerate(contents, start=1):
        digest = link_hash(content, previous)
        links.append(Link("record", f"r{seq}", seq, previous, digest, content))
        previous = digest
    return links


CONTENTS = [{"outcome": "refer_now", "n": 1}, {"outcome": "share", "n": 2}, {"outcome": "do_not_share", "n": 3}]


def test_a_sound_chain_verifies():
    links = _chain(CONTENTS)
    assert verify(links, head_seq=3, head_hash=links[-1].hash).ok


def test_rewriting_an_entry_and_re_pointing_the_next_link_is_caught():
    """Someone edits entry 2, recomputes its hash, and points entry 3 at the new hash: entry 3's own
    hash was made over the old link, so it no longer holds (fails if the link left prev_hash out)."""
    links = _chain(CONTENTS)
    forged_content = {"outcome": "do_not_share", "n": 2}
    forged_hash = link_hash(forged_content, links[0].hash)
    links[1] = Link("record", "r2", 2, links[0].hash, forged_hash, forged_content)
    third = links[2]
    links[2] = Link("record", "r3", 3, forged_hash, third.hash, third.content)
    report = verify(links)
    assert not report.ok
    assert report.broken_seq == 3 and "does not match its hash" in report.problem


def test_an_edited_entry_without_a_new_hash_is_caught_at_that_entry():
    links = _chain(CONTENTS)
    links[1] = Link("record", "r2", 2, links[1].prev_hash, links[1].hash, {"outcome": "share", "n": 99})
    report = verify(links)
    assert (report.ok, report.broken_seq) == (False, 2)


def test_the_same_content_after_another_entry_hashes_differently():
    assert link_hash(CONTENTS[0], GENESIS) != link_hash(CONTENTS[0], "1" * 64)
