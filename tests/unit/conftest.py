"""Shared fixtures for the fast tests."""

import pytest
from starlette.testclient import TestClient

from infoshare_widget.api.app import build_api
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import get_search_index


@pytest.fixture(scope="session")
def client():
    """The JSON API over the shipped content, without a browser or Reflex."""
    return TestClient(build_api(get_chart(), get_glossary(), get_search_index()), raise_server_exceptions=False)
