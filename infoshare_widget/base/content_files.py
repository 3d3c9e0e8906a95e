"""Reading the content and settings files (YAML). Pure: no Reflex import.

PyYAML follows YAML 1.1, where the bare words yes, no, on and off become booleans. Our files use
yes and no as answer keys, so this loader treats only true and false as booleans (as YAML 1.2 does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import ValidationError

MAX_CONTENT_BYTES = 2_000_000


class ContentFileError(ValueError):
    """A content or settings file cannot be read or parsed."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader whose booleans are only true and false."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_yaml(text: str, source: str) -> object:
    """Parse YAML text with YAML 1.2 booleans; raise ContentFileError naming the source."""
    try:
        return yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ContentFileError(source, f"not valid YAML: {exc}") from None
    except ValueError as exc:
        # A value shaped like a date that is not one (2026-13-01) fails inside the loader.
        raise ContentFileError(source, f"not valid YAML: {exc} (a date must be a real date, YYYY-MM-DD)") from None


def read_yaml(path: Path | str) -> object:
    """Read and parse a YAML file; raise ContentFileError naming the file on any problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CONTENT_BYTES:
            raise ContentFileError(str(path), f"the file is larger than {MAX_CONTENT_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentFileError(str(path), "the file does not exist") from None
    except UnicodeDecodeError:
        raise ContentFileError(str(path), "the file is not UTF-8 text") from None
    except OSError as exc:
        raise ContentFileError(str(path), f"cannot read the file ({exc.strerror})") from None
    return parse_yaml(text, str(path))


def validation_problems(exc: ValidationError, prefix: str | Callable[[tuple], str] = "") -> list[str]:
    """Each of pydantic's complaints as "where: what" (where is the dotted path to the value),
    after a prefix (text, or a function of the path) that names the item in a file."""
    return [
        f"{prefix(err['loc']) if callable(prefix) else prefix}{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
        for err in exc.errors()
    ]
