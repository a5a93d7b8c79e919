"""The hand-written SQL the dashboard benchmarks compare against: one statement each.

Plain SQL that SQLite and PostgreSQL both run (LIMIT, CTEs), written the way
a person would to get the same numbers as `dashboard.queries` in one round
trip: the latest burn per stock pair is a correlated `LIMIT 1` subquery on the
(item_id, location_id, as_of_date) key.
"""

# Per active group: member count, role sums of stock and 90-day PO, the
# readiness location counts and the conversion outcome (equivalent demand and
# supply, compliance, savings); then the overview totals row (group_id NULL)
# followed by the top groups by original spend. `{year_before_b}` is the one
# piece of date arithmetic, written per database (`YEAR_BEFORE_B`).
OVERVIEW = """
WITH grp AS (
    SELECT group_id, start_date,
           CASE WHEN start_date <= %(as_of)s THEN start_date ELSE %(as_of)s END AS b_end
    FROM item_group WHERE status = 'active'
), members AS (
    SELECT m.item_id, m.group_id, m.role FROM item_group_member m JOIN grp ON grp.group_id = m.group_id
), pairs AS (
    SELECT mb.group_id, mb.role, mb.item_id, il.location_id, il.on_hand_ea,
           COALESCE((SELECT b.burnrate_ea_per_day FROM burnrate_daily b
                     WHERE b.item_id = il.item_id AND b.location_id = il.location_id AND b.as_of_date <= %(as_of)s
                     ORDER BY b.as_of_date DESC LIMIT 1), 0) AS burn
    FROM members mb JOIN item_location il ON il.item_id = mb.item_id
    WHERE (%(location)s IS NULL OR il.location_id = %(location)s)
), stock AS (
    SELECT group_id,
           SUM(CASE WHEN role = 'original' THEN on_hand_ea ELSE 0 END) AS o_on_hand,
           SUM(CASE WHEN role = 'original' THEN burn ELSE 0 END) AS o_burn,
           SUM(CASE WHEN role = 'replacement' THEN on_hand_ea ELSE 0 END) AS r_on_hand,
           SUM(CASE WHEN role = 'replacement' THEN burn ELSE 0 END) AS r_burn
    FROM pairs GROUP BY group_id
), po AS (
    SELECT mb.group_id,
           SUM(CASE WHEN mb.role = 'original' THEN p.qty_ea ELSE 0 END) AS o_qty,
           SUM(CASE WHEN mb.role = 'original' THEN p.qty_ea * p.price ELSE 0 END) AS o_spend,
           SUM(CASE WHEN mb.role = 'replacement' THEN p.qty_ea ELSE 0 END) AS r_qty,
           SUM(CASE WHEN mb.role = 'replacement' THEN p.qty_ea * p.price ELSE 0 END) AS r_spend
    FROM members mb JOIN po_line p ON p.item_id = mb.item_id
    WHERE p.po_date >= %(window_start)s AND p.po_date <= %(as_of)s
    GROUP BY mb.group_id
), orig_loc AS (
    SELECT DISTINCT group_id, location_id FROM pairs WHERE role = 'original'
), repl_loc AS (
    SELECT DISTINCT group_id, location_id FROM pairs WHERE role = 'replacement'
), ready AS (
    SELECT o.group_id, COUNT(*) AS o_locs, COUNT(r.location_id) AS ready_locs
    FROM orig_loc o LEFT JOIN repl_loc r ON r.group_id = o.group_id AND r.location_id = o.location_id
    GROUP BY o.group_id
), size AS (
    SELECT group_id, COUNT(*) AS n FROM members GROUP BY group_id
), factor AS (
    SELECT mb.item_id, COALESCE(AVG(l.ratio), 1) AS f
    FROM members mb
    LEFT JOIN (item_link l JOIN item_group_member rm ON rm.item_id = l.replace_item_id)
           ON l.item_id = mb.item_id AND rm.group_id = mb.group_id
    WHERE mb.role = 'original'
    GROUP BY mb.item_id
), equiv_stock AS (
    SELECT p.group_id,
           SUM(CASE WHEN p.role = 'replacement' THEN p.on_hand_ea ELSE p.on_hand_ea * fa.f END) AS supply,
           SUM(CASE WHEN p.role = 'replacement' THEN p.burn ELSE p.burn * fa.f END) AS demand
    FROM pairs p LEFT JOIN factor fa ON fa.item_id = p.item_id
    WHERE p.role IN ('original', 'replacement')
    GROUP BY p.group_id
), equiv_po AS (
    SELECT mb.group_id,
           SUM(CASE WHEN g.start_date <= %(as_of)s AND p.po_date >= g.start_date AND p.po_date >= %(window_start)s
                    THEN CASE WHEN mb.role = 'replacement' THEN p.qty_ea ELSE 0 END END) AS comp_r,
           SUM(CASE WHEN g.start_date <= %(as_of)s AND p.po_date >= g.start_date AND p.po_date >= %(window_start)s
                    THEN CASE WHEN mb.role = 'original' THEN p.qty_ea * fa.f ELSE 0 END END) AS comp_o,
           SUM(CASE WHEN mb.role = 'original' AND p.po_date >= {year_before_b} AND p.po_date < g.b_end
                    THEN p.qty_ea * p.price END) AS base_spend,
           SUM(CASE WHEN mb.role = 'original' AND p.po_date >= {year_before_b} AND p.po_date < g.b_end
                    AND p.price IS NOT NULL THEN p.qty_ea * fa.f END) AS base_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date >= %(window_start)s AND p.price IS NOT NULL
                    THEN p.qty_ea END) AS rec_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date >= %(window_start)s
                    THEN p.qty_ea * p.price END) AS rec_spend,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date > g.start_date AND p.price IS NOT NULL
                    THEN p.qty_ea END) AS since_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date > g.start_date
                    THEN p.qty_ea * p.price END) AS since_spend
    FROM members mb JOIN grp g ON g.group_id = mb.group_id
    JOIN po_line p ON p.item_id = mb.item_id
    LEFT JOIN factor fa ON fa.item_id = mb.item_id
    WHERE p.po_date <= %(as_of)s AND mb.role IN ('original', 'replacement')
    GROUP BY mb.group_id
), latest AS (
    SELECT group_id, price FROM (
        SELECT mb.group_id, p.price,
               ROW_NUMBER() OVER (PARTITION BY mb.group_id ORDER BY p.po_date DESC, p.po_line_id DESC) AS rn
        FROM members mb JOIN po_line p ON p.item_id = mb.item_id
        WHERE mb.role = 'replacement' AND p.price IS NOT NULL AND p.po_date <= %(as_of)s
    ) ranked WHERE rn = 1
), prices AS (
    SELECT grp.group_id, grp.start_date, COALESCE(es.demand, 0) AS demand, COALESCE(es.supply, 0) AS supply,
           COALESCE(ep.comp_r, 0) AS comp_r, COALESCE(ep.comp_o, 0) AS comp_o,
           1.0 * ep.base_spend / NULLIF(ep.base_qty, 0) AS p_o,
           COALESCE(1.0 * ep.rec_spend / NULLIF(ep.rec_qty, 0), latest.price) AS p_r,
           COALESCE(ep.since_qty, 0) AS since_qty, COALESCE(ep.since_spend, 0) AS since_spend
    FROM grp
    LEFT JOIN equiv_stock es ON es.group_id = grp.group_id
    LEFT JOIN equiv_po ep ON ep.group_id = grp.group_id
    LEFT JOIN latest ON latest.group_id = grp.group_id
), outcome AS (
    SELECT group_id, demand, supply, comp_r, comp_o,
           100.0 * comp_r / NULLIF(comp_r + comp_o, 0) AS compliance,
           (p_o - p_r) * demand * 365 AS projected,
           CASE WHEN start_date IS NULL THEN NULL
                WHEN since_qty = 0 AND since_spend = 0 THEN 0
                ELSE p_o * since_qty - since_spend END AS realised
    FROM prices
), per_group AS (
    SELECT grp.group_id, COALESCE(size.n, 0) AS n,
           COALESCE(stock.o_on_hand, 0) AS o_on_hand, COALESCE(stock.o_burn, 0) AS o_burn,
           COALESCE(stock.r_on_hand, 0) AS r_on_hand, COALESCE(stock.r_burn, 0) AS r_burn,
           COALESCE(po.o_qty, 0) AS o_qty, COALESCE(po.o_spend, 0) AS o_spend,
           COALESCE(po.r_qty, 0) AS r_qty, COALESCE(po.r_spend, 0) AS r_spend,
           COALESCE(ready.o_locs, 0) AS o_locs, COALESCE(ready.ready_locs, 0) AS ready_locs,
           outcome.supply, outcome.demand, outcome.comp_r, outcome.comp_o, outcome.compliance, outcome.projected,
           outcome.realised
    FROM grp
    JOIN outcome ON outcome.group_id = grp.group_id
    LEFT JOIN size ON size.group_id = grp.group_id
    LEFT JOIN stock ON stock.group_id = grp.group_id
    LEFT JOIN po ON po.group_id = grp.group_id
    LEFT JOIN ready ON ready.group_id = grp.group_id
)
SELECT * FROM (
    SELECT CAST(NULL AS INTEGER) AS group_id, COUNT(*) AS n_groups, SUM(n),
           SUM(o_on_hand), SUM(o_burn), SUM(r_on_hand), SUM(r_burn),
           SUM(o_qty), SUM(o_spend), SUM(r_qty), SUM(r_spend), SUM(o_locs), SUM(ready_locs), 0 AS rank_key,
           SUM(supply), SUM(demand), 100.0 * SUM(comp_r) / NULLIF(SUM(comp_r) + SUM(comp_o), 0),
           SUM(projected), SUM(realised)
    FROM per_group
) totals
UNION ALL
SELECT * FROM (
    SELECT group_id, 1, n, o_on_hand, o_burn, r_on_hand, r_burn, o_qty, o_spend, r_qty, r_spend, o_locs, ready_locs,
           o_spend AS rank_key, supply, demand, compliance, projected, realised
    FROM per_group ORDER BY o_spend DESC, group_id LIMIT %(top)s
) top_groups
"""

# One group: a row per member ('item'), per role ('role'), per location
# ('location': originals' on-hand and burn, replacements' on-hand), the
# readiness counts, the stranded stock after the days given (use_up: the horizon H; else the days
# to the end date) and
# the purchase leakage since the start date and the conversion outcome: a row
# 'equiv' (supply, demand, replacement on-hand, compliance) and a row 'savings'
# (p_o, p_r, realised, projected). The group's windows come as parameters.
GROUP = """
WITH members AS (
    SELECT m.item_id, m.role, m.sequence FROM item_group_member m WHERE m.group_id = %(group_id)s
), pairs AS (
    SELECT mb.item_id, mb.role, il.location_id, il.on_hand_ea,
           COALESCE((SELECT b.burnrate_ea_per_day FROM burnrate_daily b
                     WHERE b.item_id = il.item_id AND b.location_id = il.location_id AND b.as_of_date <= %(as_of)s
                     ORDER BY b.as_of_date DESC LIMIT 1), 0) AS burn
    FROM members mb JOIN item_location il ON il.item_id = mb.item_id
    WHERE (%(location)s IS NULL OR il.location_id = %(location)s)
), stock AS (
    SELECT item_id, SUM(on_hand_ea) AS on_hand, SUM(burn) AS burn FROM pairs GROUP BY item_id
), po AS (
    SELECT p.item_id, SUM(p.qty_ea) AS qty, SUM(p.qty_ea * p.price) AS spend
    FROM members mb JOIN po_line p ON p.item_id = mb.item_id
    WHERE p.po_date >= %(window_start)s AND p.po_date <= %(as_of)s
    GROUP BY p.item_id
), member_stats AS (
    SELECT mb.item_id, mb.role, mb.sequence, COALESCE(stock.on_hand, 0) AS on_hand, COALESCE(stock.burn, 0) AS burn,
           COALESCE(po.qty, 0) AS qty, COALESCE(po.spend, 0) AS spend
    FROM members mb LEFT JOIN stock ON stock.item_id = mb.item_id LEFT JOIN po ON po.item_id = mb.item_id
), factor AS (
    SELECT mb.item_id, COALESCE(AVG(l.ratio), 1) AS f
    FROM members mb
    LEFT JOIN item_link l ON l.item_id = mb.item_id AND l.replace_item_id IN (SELECT item_id FROM members)
    WHERE mb.role = 'original'
    GROUP BY mb.item_id
), equiv_stock AS (
    SELECT SUM(CASE WHEN p.role = 'replacement' THEN p.on_hand_ea ELSE p.on_hand_ea * fa.f END) AS supply,
           SUM(CASE WHEN p.role = 'replacement' THEN p.burn ELSE p.burn * fa.f END) AS demand,
           SUM(CASE WHEN p.role = 'replacement' THEN p.on_hand_ea ELSE 0 END) AS r_on_hand
    FROM pairs p LEFT JOIN factor fa ON fa.item_id = p.item_id
    WHERE p.role IN ('original', 'replacement')
), equiv_po AS (
    SELECT SUM(CASE WHEN mb.role = 'replacement' AND p.po_date >= %(compliance_start)s THEN p.qty_ea ELSE 0 END)
               AS comp_r,
           SUM(CASE WHEN mb.role = 'original' AND p.po_date >= %(compliance_start)s THEN p.qty_ea * fa.f ELSE 0 END)
               AS comp_o,
           SUM(CASE WHEN mb.role = 'original' AND p.po_date >= %(baseline_start)s AND p.po_date < %(baseline_end)s
                    THEN p.qty_ea * p.price END) AS base_spend,
           SUM(CASE WHEN mb.role = 'original' AND p.po_date >= %(baseline_start)s AND p.po_date < %(baseline_end)s
                    AND p.price IS NOT NULL THEN p.qty_ea * fa.f END) AS base_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date >= %(window_start)s AND p.price IS NOT NULL
                    THEN p.qty_ea END) AS rec_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date >= %(window_start)s THEN p.qty_ea * p.price END)
               AS rec_spend,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date > %(group_start)s AND p.price IS NOT NULL
                    THEN p.qty_ea END) AS since_qty,
           SUM(CASE WHEN mb.role = 'replacement' AND p.po_date > %(group_start)s THEN p.qty_ea * p.price END)
               AS since_spend
    FROM members mb JOIN po_line p ON p.item_id = mb.item_id LEFT JOIN factor fa ON fa.item_id = mb.item_id
    WHERE p.po_date <= %(as_of)s AND mb.role IN ('original', 'replacement')
), prices AS (
    SELECT es.supply, es.demand, es.r_on_hand, ep.comp_r, ep.comp_o, ep.since_qty, ep.since_spend,
           1.0 * ep.base_spend / NULLIF(ep.base_qty, 0) AS p_o,
           COALESCE(1.0 * ep.rec_spend / NULLIF(ep.rec_qty, 0),
                    (SELECT p.price FROM members mb JOIN po_line p ON p.item_id = mb.item_id
                     WHERE mb.role = 'replacement' AND p.price IS NOT NULL AND p.po_date <= %(as_of)s
                     ORDER BY p.po_date DESC, p.po_line_id DESC LIMIT 1)) AS p_r
    FROM equiv_stock es, equiv_po ep
)
SELECT 'item' AS kind, item_id, role, on_hand, burn, qty, spend FROM member_stats
UNION ALL
SELECT 'role', NULL, role, SUM(on_hand), SUM(burn), SUM(qty), SUM(spend) FROM member_stats
WHERE role IS NOT NULL GROUP BY role
UNION ALL
SELECT 'readiness', NULL, NULL,
       (SELECT COUNT(DISTINCT location_id) FROM pairs WHERE role = 'original'),
       (SELECT COUNT(DISTINCT o.location_id) FROM pairs o
        WHERE o.role = 'original' AND EXISTS (SELECT 1 FROM pairs r WHERE r.role = 'replacement'
                                              AND r.location_id = o.location_id)),
       NULL, NULL
UNION ALL
SELECT 'location', location_id, NULL,
       SUM(CASE WHEN role = 'original' THEN on_hand_ea ELSE 0 END),
       SUM(CASE WHEN role = 'original' THEN burn ELSE 0 END),
       SUM(CASE WHEN role = 'replacement' THEN on_hand_ea ELSE 0 END), NULL
FROM pairs GROUP BY location_id
UNION ALL
SELECT 'stranded', NULL, NULL, SUM(stranded), SUM(stranded * price), NULL, NULL
FROM (
    SELECT CASE WHEN on_hand_ea - burn * %(stranded_days)s > 0
                THEN on_hand_ea - burn * %(stranded_days)s ELSE 0 END AS stranded,
           (SELECT p.price FROM po_line p WHERE p.item_id = pairs.item_id AND p.price IS NOT NULL
            AND p.po_date <= %(as_of)s ORDER BY p.po_date DESC, p.po_line_id DESC LIMIT 1) AS price
    FROM pairs WHERE role = 'original'
) stranded_pairs
UNION ALL
SELECT 'leakage', NULL, NULL, SUM(p.qty_ea), SUM(p.qty_ea * p.price), NULL, NULL
FROM members mb JOIN po_line p ON p.item_id = mb.item_id
WHERE mb.role = 'original' AND p.po_date > %(start_date)s AND p.po_date <= %(as_of)s
UNION ALL
SELECT 'equiv', NULL, NULL, supply, demand, r_on_hand, 100.0 * comp_r / NULLIF(comp_r + comp_o, 0) FROM prices
UNION ALL
SELECT 'savings', NULL, NULL, p_o, p_r,
       CASE WHEN %(group_start)s IS NULL THEN NULL
            WHEN COALESCE(since_qty, 0) = 0 AND COALESCE(since_spend, 0) = 0 THEN 0
            ELSE p_o * since_qty - since_spend END,
       (p_o - p_r) * demand * 365
FROM prices
"""

# OVERVIEW's date arithmetic: b_end - 365 days, per database.
YEAR_BEFORE_B = {"postgresql": "(g.b_end - 365)", "sqlite": "date(g.b_end, '-365 days')"}
