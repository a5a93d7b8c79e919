"""What the demo hospital stocks and buys: scales, units, locations, makers, vendors, the item
catalogue, burn-rate signals and the demo users. Plain data; the steps that seed it live with the
tables they fill (plmtracker.demo.engine lists them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    items: int
    locations_per_item: float  # average item_location rows per item
    burn_rows: int
    po_lines: int
    groups: int
    burn_days: int = 120
    snapshot_days: int = 60


SCALES = {
    "small": Scale(items=600, locations_per_item=3, burn_rows=60_000, po_lines=6_000, groups=80),
    "medium": Scale(items=20_000, locations_per_item=3, burn_rows=2_000_000, po_lines=250_000, groups=3_000),
    "large": Scale(
        items=100_000, locations_per_item=3, burn_rows=6_000_000, po_lines=1_000_000, groups=12_000, snapshot_days=30
    ),
}

UOMS = [
    ("EA", "Each"),
    ("BX", "Box"),
    ("CS", "Case"),
    ("PK", "Pack"),
    ("BG", "Bag"),
    ("BT", "Bottle"),
    ("RL", "Roll"),
    ("PR", "Pair"),
    ("KT", "Kit"),
    ("DZ", "Dozen"),
    ("TB", "Tube"),
    ("VL", "Vial"),
]

LOCATIONS = [
    (1000, "MAIN STORES", "main"),
    (1100, "OR SATELLITE", "sat"),
    (1200, "CATH LAB SATELLITE", "sat"),
    (1300, "ED SATELLITE", "sat"),
    (1400, "SURGERY CENTER SATELLITE", "sat"),
    (2010, "PAR 3 NORTH MED/SURG", "par"),
    (2020, "PAR 4 WEST ONCOLOGY", "par"),
    (2030, "PAR 5 EAST CARDIAC", "par"),
    (2040, "PAR MICU", "par"),
    (2050, "PAR SICU", "par"),
    (2060, "PAR NICU", "par"),
    (2070, "PAR LABOR & DELIVERY", "par"),
    (2080, "PAR PACU", "par"),
    (2090, "PAR ED TRAUMA", "par"),
    (2100, "PAR DIALYSIS", "par"),
    (2110, "PAR ENDOSCOPY", "par"),
    (2120, "PAR 6 SOUTH ORTHO", "par"),
    (3001, "BIN A-01 MAIN STORES", "bin"),
    (3002, "BIN A-02 MAIN STORES", "bin"),
    (3003, "BIN B-01 MAIN STORES", "bin"),
    (3004, "BIN B-02 MAIN STORES", "bin"),
    (3005, "BIN C-01 OR CORE", "bin"),
    (3006, "BIN C-02 OR CORE", "bin"),
    (4010, "DEPT OPERATING ROOM", "dept"),
    (4020, "DEPT RADIOLOGY", "dept"),
    (4030, "DEPT LABORATORY", "dept"),
    (4040, "DEPT PHARMACY", "dept"),
    (4050, "DEPT RESPIRATORY THERAPY", "dept"),
    (4060, "DEPT CARDIOLOGY", "dept"),
    (4070, "DEPT INTERVENTIONAL RADIOLOGY", "dept"),
    (4080, "DEPT STERILE PROCESSING", "dept"),
    (4090, "DEPT ENVIRONMENTAL SERVICES", "dept"),
]

MAKERS = [
    "MEDLINE",
    "CARDINAL",
    "BD",
    "3M",
    "OWENS&MINOR",
    "ETHICON",
    "HALYARD",
    "COVIDIEN",
    "SMITHS",
    "TELEFLEX",
    "B BRAUN",
    "MOLNLYCKE",
    "CONVATEC",
    "STRYKER",
    "HOLLISTER",
]

VENDORS = [
    (501, "MEDLINE INDUSTRIES LP"),
    (502, "CARDINAL HEALTH 200 LLC"),
    (503, "OWENS & MINOR DISTRIBUTION"),
    (504, "BECTON DICKINSON & CO"),
    (505, "3M HEALTH CARE"),
    (506, "ETHICON US LLC"),
    (507, "HALYARD SALES LLC"),
    (508, "COVIDIEN SALES LLC"),
    (509, "TELEFLEX LLC"),
    (510, "B BRAUN MEDICAL INC"),
    (511, "MOLNLYCKE HEALTH CARE US"),
    (512, "STRYKER SALES CORP"),
    (513, "CONCORDANCE HEALTHCARE"),
    (514, "HENRY SCHEIN INC"),
    (515, "MCKESSON MEDICAL-SURGICAL"),
]

# (template, choices per slot, unit price range in EA, pack uom, pack size)
CATALOG = [
    (
        "GLOVE EXAM NITRILE PF {0} {1}",
        [["XS", "SM", "MD", "LG", "XL"], ["BLUE", "PURPLE", "WHITE", "BLACK"]],
        (0.06, 0.14),
        "BX",
        [100, 200, 250],
    ),
    ("GLOVE SURGICAL LATEX-FREE SZ {0}", [["6.0", "6.5", "7.0", "7.5", "8.0", "8.5"]], (0.9, 2.4), "BX", [50]),
    ("SYRINGE LUER LOCK {0}ML", [["1", "3", "5", "10", "20", "30", "60"]], (0.08, 0.6), "BX", [100, 50]),
    (
        "NEEDLE HYPODERMIC {0}G X {1}IN",
        [["18", "20", "21", "22", "23", "25", "27"], ["0.5", "1", "1.5"]],
        (0.04, 0.2),
        "BX",
        [100],
    ),
    (
        "CATHETER FOLEY {0}FR {1}ML SILICONE",
        [["12", "14", "16", "18", "20", "22"], ["5", "10", "30"]],
        (3.5, 12.0),
        "CS",
        [10, 12],
    ),
    (
        "CATHETER IV {0}G X {1}IN SAFETY",
        [["14", "16", "18", "20", "22", "24"], ["0.75", "1", "1.25"]],
        (1.1, 3.2),
        "BX",
        [50],
    ),
    (
        "SUTURE {0} {1} {2} 27IN",
        [
            ["VICRYL", "MONOCRYL", "PROLENE", "ETHILON", "PDS II", "SILK"],
            ["2-0", "3-0", "4-0", "5-0"],
            ["SH", "CT-1", "PS-2", "FS-2", "RB-1"],
        ],
        (4.0, 14.0),
        "BX",
        [12, 36],
    ),
    ("DRESSING FOAM BORDERED {0}X{0}IN", [["2", "3", "4", "5", "6", "7"]], (1.8, 9.5), "BX", [10]),
    ("GAUZE SPONGE {0}X{0}IN 12PLY STERILE", [["2", "3", "4"]], (0.05, 0.2), "CS", [1200, 2000]),
    (
        "TUBING IV EXTENSION {0}IN {1}",
        [["6", "8", "18", "30", "60"], ["MICROBORE", "STANDARD BORE", "NEEDLELESS"]],
        (0.7, 3.1),
        "CS",
        [50, 100],
    ),
    ("MASK SURGICAL EARLOOP {0}", [["BLUE", "YELLOW", "PEDIATRIC", "FLUID RESISTANT"]], (0.05, 0.25), "BX", [50]),
    ("RESPIRATOR N95 {0} {1}", [["REGULAR", "SMALL"], ["CUP", "FLAT FOLD", "DUCKBILL"]], (0.6, 2.2), "BX", [20, 35]),
    ("GOWN ISOLATION {0} {1}", [["UNIVERSAL", "XL", "2XL"], ["AAMI L2", "AAMI L3"]], (0.4, 1.6), "CS", [50, 100]),
    (
        "ELECTRODE ECG FOAM {0}MM {1}",
        [["30", "43", "50", "57"], ["SOLID GEL", "WET GEL", "RADIOLUCENT"]],
        (0.08, 0.35),
        "CS",
        [600, 1000],
    ),
    (
        "BANDAGE ELASTIC {0}IN X 5YD {1}",
        [["2", "3", "4", "6"], ["CLIP", "VELCRO", "LATEX-FREE"]],
        (0.5, 2.2),
        "BX",
        [10, 12],
    ),
    ("SPONGE LAPAROTOMY {0}X{1}IN RF DETECT", [["12", "18"], ["12", "18"]], (0.5, 1.8), "CS", [100, 200]),
    ("CANNULA NASAL ADULT {0}FT {1}", [["7", "14", "25"], ["STANDARD", "SOFT TIP", "CURVED"]], (0.3, 1.1), "CS", [50]),
    (
        "UNDERPAD {0}X{1}IN {2}",
        [["23", "30", "36"], ["24", "30", "36"], ["MODERATE", "HEAVY", "SUPER"]],
        (0.2, 0.9),
        "CS",
        [100, 150],
    ),
    (
        "WIPE DISINFECTANT {0} {1}CT",
        [["QUAT ALCOHOL", "BLEACH", "HYDROGEN PEROXIDE"], ["160", "200", "240"]],
        (5.0, 11.0),
        "CS",
        [6, 12],
    ),
    ("BLADE SCALPEL #{0} STERILE", [["10", "11", "15", "20", "22"]], (0.2, 0.6), "BX", [50, 100]),
    ("CLIP LIGATING {0} TITANIUM", [["SMALL", "MEDIUM", "MED-LARGE", "LARGE"]], (2.0, 7.0), "BX", [24, 36]),
    ("BAG URINE DRAINAGE {0}ML {1}", [["2000", "4000"], ["ANTI-REFLUX", "STANDARD"]], (0.9, 2.5), "CS", [20, 50]),
    ("STOPCOCK {0} {1}", [["3-WAY", "4-WAY"], ["ROTATING MALE LUER", "HIGH PRESSURE"]], (0.4, 1.5), "BX", [50, 100]),
    ("SWAB ALCOHOL PREP {0}", [["MEDIUM", "LARGE", "STERILE"]], (0.01, 0.04), "CS", [2000, 4000]),
    (
        "TAPE SURGICAL {0} {1}IN X 10YD",
        [["PAPER", "SILK", "TRANSPARENT", "CLOTH"], ["0.5", "1", "2", "3"]],
        (0.3, 1.4),
        "BX",
        [12, 24],
    ),
    ("STAPLER SKIN {0} WIDE", [["35", "25"]], (6.0, 14.0), "BX", [6, 12]),
    (
        "TROCAR BLADELESS {0}MM X {1}MM",
        [["5", "8", "11", "12", "15"], ["75", "100", "150"]],
        (28.0, 95.0),
        "BX",
        [3, 6],
    ),
    ("PROBE COVER THERMOMETER {0}", [["ORAL", "TYMPANIC", "RECTAL"]], (0.02, 0.06), "CS", [1000, 2000]),
    (
        "SET ADMINISTRATION IV {0} DROP {1}IN",
        [["10", "15", "20", "60"], ["78", "92", "104"]],
        (1.5, 4.8),
        "CS",
        [48, 50],
    ),
    (
        "SHARPS CONTAINER {0}QT {1}",
        [["1", "2", "5", "8", "18"], ["RED", "YELLOW CHEMO", "CLEAR"]],
        (1.2, 9.0),
        "CS",
        [12, 20],
    ),
]

SIGNALS = ["L10", "L60", "L90", "L365", "BLEND", "OVERRIDE", "NONE"]
SIGNAL_WEIGHTS = [8, 14, 38, 10, 24, 4, 2]

DEMO_USERS = [
    ("admin@example.org", "Avery Admin", "admin"),
    ("steward@example.org", "Sam Steward", "steward"),
    ("planner@example.org", "Pat Planner", "planner"),
    ("planner2@example.org", "Jordan Planner", "planner"),
]
DEMO_PASSWORD = "plm-demo-2026"
