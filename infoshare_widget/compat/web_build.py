"""Where Reflex's production build keeps its pages, and what React Router writes in them, for
web/first_paint.py (which serves each page with its stylesheet inlined).

Why: on a phone's line the page could not be painted until its stylesheet had arrived (see
web/first_paint.py and docs/benchmarks.md). Reflex has no setting to inline it, so the built HTML is
rewritten as it is served. That needs two things Reflex and React Router do not document:
- the folder the built pages and assets are served from: `reflex.utils.prerequisites.get_web_dir()`
  (REFLEX_WEB_WORKDIR, `.web` by default) and, under it, `reflex_base.constants.Dirs.STATIC`
  (`build/client`);
- the exact text of the stylesheet link and the bundle's module preloads in those pages, as React
  Router's prerender writes them (`<link href="/assets/....css" rel="stylesheet" type="text/css"/>`,
  `<link rel="modulepreload" href="/assets/....js"/>`). A page whose links are written otherwise is
  served unchanged (nothing breaks, the first paint is slower again).

Checked against: reflex 0.10.1 with React Router 8.4.0 (as reflex.lock pins it). No upstream
issue. Contract tests: tests/unit/test_compat.py (test_web_build_static_dir_is_where_reflex_builds_its_pages)
and, on the real built page, tests/e2e/test_phone.py
(test_the_first_paint_rewrite_finds_react_router_s_links_in_the_built_pages).
"""

from __future__ import annotations

import re
from pathlib import Path

# The build's stylesheet links, as React Router writes them.
STYLESHEET_LINK = re.compile(
    r'<link href="(?P<href>/assets/[A-Za-z0-9_.-]+\.css)" rel="stylesheet" type="text/css"/>'
)
# The React bundle's module preloads, as React Router writes them.
MODULE_PRELOAD = re.compile(r'<link rel="modulepreload" href="(?P<href>/assets/[A-Za-z0-9_.-]+\.js)"/>')


def static_dir() -> Path:
    """The folder the production build's pages and assets are served from (read each time: the
    folder is set by REFLEX_WEB_WORKDIR)."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC
