"""Version string, read from the installed distribution metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thottopilot")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
