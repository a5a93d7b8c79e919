"""Daily figures: each group's overview figures computed ahead, one row per group and day.

`compute` runs the live KPI queries for a set of groups (the very functions the live pages
call, so the two cannot disagree) and shapes one row per group; `services` keeps today's
rows fresh (refresh on every write, and before a read for any group whose stamp moved);
`selectors` reads them for the overview and the history charts; `check` compares the kept
rows with a live recomputation.
"""
