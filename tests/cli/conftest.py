"""The command-line tests share the engine tests' big-data fixtures."""

from tests.core.conftest import big_area, big_source

__all__ = ["big_area", "big_source"]
