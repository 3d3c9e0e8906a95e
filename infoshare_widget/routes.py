"""Route constants and URL builders, in one place."""

DECIDE = "/"
