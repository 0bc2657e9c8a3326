"""Ferry: copy a folder tree safely, in parallel, and watch it happen."""

__version__ = "0.1.0"
