"""The floors of the house (README, "Architecture"): imports only go down, never up or sideways,
the core imports no app, and no app imports another app's views. Read from the source with
`ast`, so an import inside a function counts as much as one at the top."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Ground floor first. Apps on one floor do not import each other. `newsletters` is a top-floor
# app that may not exist yet on a branch; the rule holds for it as soon as it does.
FLOORS = {
    "krets": 0,
    "members": 1,
    "dues": 2,
    "goals": 3,
    "meetings": 4,
    "campaigns": 4,
    "newsletters": 4,
}
APPS = set(FLOORS)

# The project level: modules of the krets package that wire the apps together (settings,
# URLs, the Celery app, the access middleware, the project's own pages, load_demo). They may
# import any app; the rest of krets is the core and imports none.
PROJECT_LEVEL = (
    "krets.settings",
    "krets.urls",
    "krets.wsgi",
    "krets.celery",
    "krets.middleware",
    "krets.views",
    "krets.management",
    "krets.error_pages",  # the 403 page names this year's holders of the missing right
    "krets.audit_sentences",  # the audit log page names the members and objects it points at
)

# Known exceptions, (module, app it may import although above), each with its reason. None today.
ALLOWED_UPWARD: set[tuple[str, str]] = set()


def _modules():
    for app in sorted(APPS):
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = dict(_modules())


def test_the_scan_sees_the_apps():
    assert {"krets.rights", "members.models", "dues.models", "meetings.views.calendar"} <= set(
        MODULES
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down_the_floors(module):
    app = module.split(".")[0]
    if app == "krets" and module.startswith(PROJECT_LEVEL):
        return
    wrong = []
    for imported in _imports(MODULES[module]):
        other = imported.split(".")[0]
        if other not in APPS or other == app or (module, other) in ALLOWED_UPWARD:
            continue
        if FLOORS[other] >= FLOORS[app]:
            wrong.append(imported)
        elif imported.split(".")[1:2] == ["views"]:
            wrong.append(imported)  # another app's views are never imported
    assert wrong == [], f"{module} imports {sorted(wrong)}"


def test_the_core_imports_no_app():
    core = [m for m in MODULES if m.startswith("krets") and not m.startswith(PROJECT_LEVEL)]
    assert "krets.rights" in core and "krets.mail" in core
    for module in core:
        apps = {i.split(".")[0] for i in _imports(MODULES[module])} & (APPS - {"krets"})
        assert apps == set(), f"{module} imports {sorted(apps)}"


def test_the_exceptions_are_still_needed():
    # An exception whose import has gone must go from the list too.
    for module, app in ALLOWED_UPWARD:
        imports = {i.split(".")[0] for i in _imports(MODULES[module])}
        assert app in imports, f"{module} no longer imports {app}: drop the exception"
