"""The ERP's inventory tables (uom, items, location, item_location, item_uom_conversion,
burnrate_daily, po_line, on_hand_snapshot): models, admin, exports and the daily on-hand
snapshot. Installed with the label `plmtracker`, so tables and migrations keep their names."""
