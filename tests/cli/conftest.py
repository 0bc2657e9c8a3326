"""The command-line tests share the engine tests' big-data and gated-source fixtures."""

from tests.core.conftest import big_area, big_source, gated

__all__ = ["big_area", "big_source", "gated"]
