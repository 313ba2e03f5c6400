"""Tests in this folder drive a real browser; they carry the ``browser`` marker."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
