"""The workflow steps, one small module each (交办 to 办结), all run through `engine.perform`.

Each step module exposes one function that a CLI command calls: it checks what it can before touching the
ledger (units, categories, dates as typed), then hands `perform` a planner that decides, on the item as it
is, whether the step is allowed and what to change.
"""
