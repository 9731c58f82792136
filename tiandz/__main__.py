"""Allows `python -m tiandz`."""

from tiandz.cli.quick import run

run()
