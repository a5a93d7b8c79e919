"""The import contracts of pyproject.toml hold, and the private-name contract finds what it should."""

import subprocess
import sys
from pathlib import Path

import pytest

from plmtracker.contracts import private_imports

ROOT = Path(__file__).resolve().parents[2]
MODULES = {"shop", "shop.stock", "shop._sql", "shop.orders", "till", "till.views"}


def found(importer: str, source: str, *, is_package: bool = False) -> list[str]:
    return [f"{p.line}:{p.name}:{p.source}" for p in private_imports(importer, source, MODULES, is_package=is_package)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from shop.stock import _lock\n", ["1:_lock:shop.stock"]),
        ("from shop.stock import (\n    count,\n    _lock,\n)\n", ["1:_lock:shop.stock"]),
        ("from shop import stock\nstock._lock()\n", ["2:_lock:shop.stock"]),
        ("import shop.stock as s\ns._lock()\n", ["2:_lock:shop.stock"]),
        ("import shop.stock\nshop.stock._lock()\n", ["2:_lock:shop.stock"]),
        ("from shop._sql import QUERY\n", ["1:_sql:shop"]),  # another package's private module
        (
            "from django.middleware.csrf import _get_new_csrf_string\n",
            ["1:_get_new_csrf_string:django.middleware.csrf"],
        ),
        ("import sys\nsys._getframe()\n", ["2:_getframe:sys"]),
        ("from shop.stock import count, __version__\nself._cache = {}\nItem._meta\n", []),
    ],
)
def test_private_names_taken_from_another_module_are_found(source, expected):
    assert found("till.views", source) == expected


def test_a_package_may_use_its_own_private_module():
    assert found("shop.orders", "from shop._sql import QUERY\nfrom shop import _sql\n") == []
    assert found("shop.orders", "from . import _sql\nfrom ._sql import QUERY\n") == []
    assert found("shop", "from ._sql import QUERY\n", is_package=True) == []
    assert found("shop.orders", "from .stock import _lock\n") == ["1:_lock:shop.stock"]


def test_lint_imports_keeps_every_contract():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
