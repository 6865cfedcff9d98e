"""launchkit: launch a recurring hashtag chat."""

__version__ = "0.1.0"
