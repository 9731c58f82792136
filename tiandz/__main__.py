"""Allows `python -m tiandz`."""

from tiandz.cli.main import run

run()
