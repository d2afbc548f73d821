"""The meetings screens, one module per screen (see meetings/urls.py)."""
