"""The domain map stays true: the kernel imports no app, and no app imports one above it.

Every module of every app is parsed (ast) and each `import` / `from … import` is checked, at the top
of the module or inside a function alike (a lazy import is still a dependency). Tests and migrations
are left out: tests may use any app's fixtures, and migrations depend on history, not on the map.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

RENDA = Path(settings.BASE_DIR) / "renda"

# The floors, bottom to top: an app may import only apps on the floors below its own. This is the
# order of the domain map in docs/architecture.md (written there top to bottom); a test below keeps
# the two the same. Apps not written yet are placed where their imports put them today; an app
# that is not listed at all fails the test until it is given a floor here and in the document.
LAYERS = [
    "core",  # the kernel: imports no app
    "audit",  # the append-only log every app writes into
    "jobs",  # background job records (audited)
    "regions",
    "organizations",
    "accounts",  # users have a region and an organisation
    "notifications",  # any app sends through notification_send
    "duty_records",  # every app records what a deputy did through duty_record_add
    "deputies",
    "network",
    "opinions",
    "legislation",
    "suggestions",
    "activities",
    "training",
    "cooperation",
    "media_column",
    "guidance",
    "workplan",
    "onboarding",
    "points",  # 履职积分: schemes, ledger, standings (reads the spine and the deputies)
    "duty_reports",  # 代表述职: evaluation by ballot, result onto the spine
    "rollup",  # city and province roll-up: reads suggestions, network, opinions, activities, points
    "dossier",  # 一代表一档案 and 履职手册: reads every app below (and points)
    "operations",  # the top floor: commands that orchestrate every app
]

# Imports allowed against the map, each with its reason. (module, imported app).
ALLOWED = {
    # The audit log's own export is a background job. The log itself (models, services) stays below
    # jobs, which records into it; only the auditor's export screen and its runner use jobs.
    ("renda.audit.exports", "jobs"): "the audit export runs as a job",
    ("renda.audit.views", "jobs"): "the audit export screen starts the job",
    # A read, not a write: a clash of two clerks' edits names who changed the record, from the
    # audit log. To remove: let audit answer through a hook, as it records `access_denied`.
    ("renda.core.concurrency", "audit"): "names the other editor from the audit log",
}


def _apps(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "apps.py").exists())


def _modules(root: Path, app: str):
    for path in sorted((root / app).rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = ".".join(("renda", *parts))[: -len(".py")].removesuffix(".__init__")
        yield name, path


def _imports(module: str, path: Path):
    """(dotted name, line) for each import in the module; `from x import y` gives x and x.y."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            yield source, node.lineno
            for alias in node.names:  # `from renda import deputies`, `from . import workflow`
                yield f"{source}.{alias.name}", node.lineno


def imported_apps(root: Path, app: str) -> list[tuple[str, str, int]]:
    """(module, imported app, line) for every import of another renda app in `app`'s modules."""
    found = []
    apps = set(_apps(root))
    for module, path in _modules(root, app):
        seen = set()
        for target, line in _imports(module, path):
            bits = target.split(".")
            other = len(bits) > 1 and bits[0] == "renda" and bits[1] in apps and bits[1] != app
            if other and (bits[1], line) not in seen:
                seen.add((bits[1], line))
                found.append((module, bits[1], line))
    return found


def import_cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import one another, directly or round a circle (Tarjan's SCC)."""
    paths = {module: path for app in _apps(root) for module, path in _modules(root, app)}
    graph = {
        module: {target for target, _line in _imports(module, path) if target in paths and target != module}
        for module, path in paths.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def layer_violations(root: Path, layers: list[str], allowed) -> list[str]:
    """Every import that points up the map (or from an app with no floor), as readable lines."""
    floor = {name: i for i, name in enumerate(layers)}
    problems = []
    for app in _apps(root):
        if app not in floor:
            problems.append(f"renda/{app} has no floor: add it to LAYERS and to docs/architecture.md")
            continue
        for module, target, line in imported_apps(root, app):
            if (module, target) in allowed:
                continue
            if target not in floor or floor[target] >= floor[app]:
                problems.append(f"{module}:{line} imports renda.{target}, which is not below {app}")
    return problems


def test_the_kernel_imports_no_app():
    imports = [i for i in imported_apps(RENDA, "core") if (i[0], i[1]) not in ALLOWED]
    assert imports == [], "renda/core must not import any app:\n" + "\n".join(
        f"{module}:{line} imports renda.{target}" for module, target, line in imports
    )


def test_no_app_imports_one_above_it():
    problems = layer_violations(RENDA, LAYERS, ALLOWED)
    assert problems == [], "\n".join(problems)


# Circles left for now, each with its reason (to untangle, not to copy).
KNOWN_CYCLES = [
    # AuditEntry.save() chains the entry through integrity.chain_insert, which reads the chain-head
    # model: the hash chain should move into the model's module or a service that both call.
    ["renda.audit.integrity", "renda.audit.models"],
]


def test_no_module_imports_itself_back():
    """No circles between modules (lazy imports included): each module can be read before the ones
    that use it. Labels live beside the model, the task module alone knows a task and its runner."""
    assert [c for c in import_cycles(RENDA) if c not in KNOWN_CYCLES] == []


def test_the_document_draws_the_same_map():
    """docs/architecture.md's domain map lists the installed apps top to bottom, one per line."""
    text = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Domain map", 1)[1].split("```", 2)[1]
    drawn = [m.group(1) for m in re.finditer(r"^\s*([a-z_]+)\s", block, flags=re.MULTILINE)]
    present = set(_apps(RENDA))
    assert drawn == [app for app in reversed(LAYERS) if app in present]


def test_the_checks_catch_an_import_up_the_map(tmp_path):
    """The parser sees top-level, lazy, relative and `from renda import app` imports."""
    for app, source in {
        "core": "def f():\n    from renda.deputies.models import Deputy\n",
        "regions": "from ..organizations import models\n",
        "deputies": "import renda.regions.models\nfrom renda import suggestions\n",
        "organizations": "from renda.regions.models import Region\n",
        "suggestions": "from . import workflow\n",
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "mod.py").write_text(source)
    assert imported_apps(tmp_path, "core") == [("renda.core.mod", "deputies", 2)]
    layers = ["core", "regions", "organizations", "deputies", "suggestions"]
    assert layer_violations(tmp_path, layers, {}) == [
        "renda.core.mod:2 imports renda.deputies, which is not below core",
        "renda.deputies.mod:2 imports renda.suggestions, which is not below deputies",
        "renda.regions.mod:1 imports renda.organizations, which is not below regions",
    ]
    assert layer_violations(tmp_path, layers[:-1], {})[-1].startswith("renda/suggestions has no floor")
    assert import_cycles(tmp_path) == []
    (tmp_path / "suggestions" / "workflow.py").write_text("def f():\n    from .mod import x\n")
    assert import_cycles(tmp_path) == [["renda.suggestions.mod", "renda.suggestions.workflow"]]
