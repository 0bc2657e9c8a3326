"""Test configuration shared by every suite: Qt offscreen, so no display is ever needed."""

import os

# Set before anything imports Qt: without a display Qt would abort the whole run.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
