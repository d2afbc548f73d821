"""`.env.example` lists every environment variable `krets/settings.py` reads, and nothing else."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {"env", "env_bool", "env_int", "env_list", "getenv"}
# Read by prefix rather than by name: an email service's own settings (ANYMAIL_<NAME>).
PREFIXES = ("ANYMAIL_",)


def settings_reads() -> set[str]:
    """Every variable name read with a literal: env("X"), env_int("X", …), os.environ.get("X"),
    os.environ["X"]."""
    names = set()
    tree = ast.parse((ROOT / "krets" / "settings.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            is_environ_get = name == "get" and "environ" in ast.unparse(func)
            if (name in READERS or is_environ_get) and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def example_names() -> set[str]:
    """Variables set in .env.example, commented-out examples (`# NAME=…`) included."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_scan_finds_the_settings_reads():
    assert {"DEBUG", "DATABASE_URL", "SWISH_NUMBER"} <= settings_reads()


def test_env_example_lists_every_variable_the_settings_read():
    assert sorted(settings_reads() - example_names()) == []


def test_env_example_lists_nothing_the_settings_do_not_read():
    def read(name: str) -> bool:
        base = name.removesuffix("_FILE")  # any secret may come from a file
        return base in settings_reads() or name.startswith(PREFIXES)

    assert sorted(name for name in example_names() if not read(name)) == []
