"""The goals screens, one module per screen (see goals/urls.py)."""
