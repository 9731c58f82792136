"""tiandz: 人大代表建议、政协委员提案办理台账.

The core (models, loading, steps, git, rendering) lives in this package and never imports typer or rich;
the command line in `tiandz.cli` is a thin layer over it.
"""

__version__ = "0.1.0"
