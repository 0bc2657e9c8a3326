"""docs/reliability.md names a test for every promise: each name must exist."""

from __future__ import annotations

import re

from tests.helpers import REPO

TESTS = REPO / "tests"


def test_every_test_the_reliability_page_names_exists() -> None:
    page = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    defined = {
        match.group(1)
        for path in TESTS.rglob("test_*.py")
        for match in re.finditer(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)
    }
    names = set(re.findall(r"::(test_\w+)", page))
    assert names, "the page names no tests"
    assert sorted(names - defined) == []
