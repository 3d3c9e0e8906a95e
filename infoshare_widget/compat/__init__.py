"""Where the widget leans on framework internals (Reflex, Granian), in one place.

Each module says why it exists, which versions it was checked against, and has a contract test in
tests/unit/test_compat.py (or tests/db, tests/e2e where it needs a server) that fails, naming the
workaround, when an upgrade changes what it relies on.
"""
