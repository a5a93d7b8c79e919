"""After the load: every link the server said it created is there, and the graph keeps its rules."""

import os
import sys
from pathlib import Path

import django


def main(created_file: str) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plmtracker.settings")
    django.setup()
    from collector.integrity import check_graph
    from collector.models import ItemLink

    lines = Path(created_file).read_text().splitlines()
    reported = {tuple(line.split(",")) for line in lines if line.strip()}
    stored = set(ItemLink.objects.values_list("item__erp_item_code", "replace_item__erp_item_code"))
    lost = reported - stored
    report = check_graph()
    print(f"links reported created: {len(reported)}; missing from the database: {len(lost)}")
    print(
        f"links in the database: {report.links}; crossing groups: {len(report.crossing_links)}; "
        f"ends without a group: {len(report.ungrouped_ends)}; alert changes due: {report.alert_changes_due}"
    )
    ok = not lost and report.ok
    print("integrity: OK" if ok else "integrity: BROKEN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
