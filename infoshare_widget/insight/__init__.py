"""Partnership insight: aggregate figures about decisions, never a record."""
