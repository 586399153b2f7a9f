"""The two rules that keep the house livable (docs/architecture.md), checked by walking imports."""

import ast
from pathlib import Path

import extractor

PACKAGE = Path(extractor.__file__).parent

#: Which internal modules each module may import ("extract" covers the whole subpackage).
ALLOWED = {
    "models": set(),
    "errors": set(),
    "readers": {"models", "errors", "pdftext"},
    "pdftext": set(),
    "clean": {"models", "errors", "clean_rules"},
    "clean_rules": set(),
    "fetch": {"models", "errors"},
    "extract": {"models", "errors", "extract"},
    "store": {"models", "errors", "store"},
    "pipeline": {"readers", "clean", "extract", "store", "models", "errors", "cluster"},
    "cluster": {"pipeline", "extract", "errors"},
    "crawl": {"fetch", "pipeline", "store", "models", "errors"},
    "evaluate": {"extract", "store", "models", "errors"},
    "query": {"store", "models", "errors"},
    "cli": {"cli", "pipeline", "crawl", "query", "evaluate", "readers", "models", "errors"},
    "__init__": {"errors", "models", "pipeline", "readers", "extract", "store", "evaluate", "query", "crawl", "fetch", "clean"},
    "__main__": {"cli"},
}

#: Each third-party library has one home (a module or subpackage).
HOME = {
    "httpx": {"fetch"},
    "protego": {"fetch"},
    "bs4": {"clean"},
    "spacy": {"extract"},
    "numpy": {"extract"},
    "sqlite_utils": {"store"},
    "click": {"cli"},
    "rich": {"cli"},
    "datasette": {"cli"},
    "lxml": {"clean", "crawl"},
    "feedparser": {"crawl"},
    "cssselect": {"crawl"},
    "pdfminer": {"pdftext"},
    "distributed": {"cluster"},
    "dask": {"cluster"},
    "icalendar": {"query"},
    "dateutil": {"extract", "crawl"},
}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or "", 0
            else:
                # resolve a relative import to a top-level room of the package
                parts = list(path.relative_to(PACKAGE).parts[:-1])
                up = node.level - 1
                base = parts[: len(parts) - up] if up else parts
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:
                    for alias in node.names:
                        yield "extractor." + alias.name, 1
                else:
                    yield "extractor." + ".".join(target), depth


def test_stages_import_only_what_they_may():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = _room(path)
        for name, _ in _imports(path):
            if not name.startswith("extractor."):
                continue
            target = name.split(".")[1]
            if target != room and target not in ALLOWED[room]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_each_library_has_one_home():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = _room(path)
        for name, _ in _imports(path):
            top = name.split(".")[0]
            if top in HOME and room not in HOME[top]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name} (home: {sorted(HOME[top])})")
    assert wrong == []


def test_public_api_is_honest():
    import extractor as pkg

    public = {n for n in vars(pkg) if not n.startswith("_") and n not in {"annotations"} and not isinstance(getattr(pkg, n), type(pkg))}
    assert sorted(pkg.__all__) == sorted(public | set(pkg._LAZY))  # _LAZY: loaded on first use
    for name in pkg.__all__:
        assert getattr(pkg, name) is not None


def test_no_module_defines_a_top_level_name_twice():
    """A second `NAME = …` silently replaces the first for every function that reads it (a vaccine check once read a
    trial finder's pattern of the same name)."""
    twice = []
    for path in sorted(PACKAGE.rglob("*.py")):
        seen: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names = [node.name]
            for name in names:
                if name in seen and name != "__all__":
                    twice.append(f"{path.relative_to(PACKAGE.parent)}: {name}")
                seen.add(name)
    assert twice == []
