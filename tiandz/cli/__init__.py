"""The command line: thin Typer commands over the core. Only this package imports typer and rich."""
