"""`tiandz log`: an item's history from git."""
