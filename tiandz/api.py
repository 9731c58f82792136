"""The public Python API of tiandz (placeholder while the layout moves)."""
