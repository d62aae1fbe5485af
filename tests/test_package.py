"""The package as a whole: public names, import cost, no side effects."""

from __future__ import annotations

import subprocess
import sys

import bilingual


def test_public_api_is_exported() -> None:
    for name in bilingual.__all__:
        assert hasattr(bilingual, name), name
    for name in ("repair", "normalize", "explain", "convert", "detect_script", "Change"):
        assert name in bilingual.__all__


def test_errors_share_one_base() -> None:
    for name in ("ConfigError", "DecodeError", "InputError"):
        assert issubclass(getattr(bilingual, name), bilingual.BilingualError)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(out.stdout.split())


def test_normalize_never_loads_translation_libraries() -> None:
    code = (
        "import bilingual.cli as c, sys\n"
        "sys.argv = ['bilingual', 'normalize']\n"
        "import io; sys.stdin = io.TextIOWrapper(io.BytesIO('數據,進口'.encode()))\n"
        "try:\n    c.main(['normalize', '--script', 't2s'])\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert "opencc" in loaded  # the command really ran
    heavy = {"ctranslate2", "argostranslate", "sentencepiece", "langdetect", "lingua"}
    server = {"starlette", "uvicorn", "multipart", "prometheus_client", "bilingual.serve"}
    remote = {"httpx", "deepl", "requests"}  # the engines that call a server
    cluster = {"dask", "distributed", "bilingual.dask", "pyarrow"}  # --scheduler only
    assert not (heavy | server | remote | cluster) & loaded


def test_import_has_no_side_effects(tmp_path) -> None:
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-c", "import bilingual, bilingual.cli"], check=True, env=env, timeout=60
    )
    assert list(tmp_path.iterdir()) == []


def _import_graph() -> dict[str, set[str]]:
    """Module → the bilingual modules it imports, at the top or inside a function (a
    function-local import hides a cycle; it does not remove it). Imports under
    ``if TYPE_CHECKING:`` are left out: they never run."""
    import ast
    from pathlib import Path

    root = Path(bilingual.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = (path, parts[-1] == "__init__")
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rsplit(".", 1)[0]
        edges = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for block in ast.walk(tree):  # imports for type checkers only never run
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING":
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                base = base[: len(base) - node.level + 1] if node.level else []
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                for alias in node.names:  # `from . import io` names a module
                    sub = f"{target}.{alias.name}"
                    edges.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names)
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def test_no_import_cycles() -> None:
    """Strongly connected components of the import graph have one module each."""
    graph = _import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def test_a_missing_extra_is_one_line(monkeypatch) -> None:
    """Without the [argos] extra (CTranslate2 not importable), --engine argos says which
    extra to install."""
    import sys

    from conftest import run_cli

    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    monkeypatch.delitem(sys.modules, "bilingual.translate.engines.argos", raising=False)
    result = run_cli("translate", "--engine", "argos", "--memory", "none", input="进口。")
    assert result.returncode == 2
    assert result.stderr == (
        "bilingual: error: the argos engine needs the 'argos' extra: "
        "pip install 'bilingual-toolkit[argos]' (ctranslate2 is missing)\n"
    )
