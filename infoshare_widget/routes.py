"""Route constants and URL builders, in one place."""

DECIDE = "/"
GLOSSARY = "/glossary"
GLOSSARY_ENTRY = "/glossary/[slug]"


def glossary_entry(slug: str) -> str:
    """The stable link of a glossary entry."""
    return f"{GLOSSARY}/{slug}"
