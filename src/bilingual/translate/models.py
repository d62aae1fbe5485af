"""Argos Translate models: finding, installing (safely), listing and removing them.

Models live in ``$BILINGUAL_HOME/models``, one folder each (``metadata.json``,
``model/model.bin``, a SentencePiece or BPE tokenizer), as Argos packages them. Reading
metadata needs nothing but the standard library; checking that a model loads needs the
``argos`` extra (CTranslate2, SentencePiece). Importing argostranslate creates folders
under ``$HOME``: :func:`argos` imports it with its settings pointed into
``$BILINGUAL_HOME``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import stat
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..errors import BilingualError, ModelError
from ..paths import home, models_dir

__all__ = ["ModelInfo", "find", "install", "install_file", "installed", "remove"]

MAX_UNPACKED_BYTES = 1024**3
"""An archive that unpacks to more than this (1 GiB) is refused."""
MAX_MEMBERS = 1000
"""An archive with more members is refused (a model has about ten)."""
MAX_RATIO = 50
"""An archive that unpacks to more than this many times its size is refused (a model
barely compresses; a zip bomb does)."""
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
"""Argos Translate's package index."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    source: str
    target: str
    version: str
    path: Path

    def __str__(self) -> str:
        return f"{self.name}\t{self.source} → {self.target}\t{self.version}\t{self.path}"

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "source": self.source,
            "target": self.target,
            "version": self.version,
            "path": str(self.path),
        }


def _read_info(path: Path) -> ModelInfo | None:
    """The model in ``path``, or None when it has no readable ``metadata.json``."""
    try:
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    return ModelInfo(
        path.name,
        str(meta.get("from_code") or ""),
        str(meta.get("to_code") or ""),
        str(meta.get("package_version") or ""),
        path,
    )


@contextlib.contextmanager
def _argos_settings_env() -> Iterator[None]:
    """Point argostranslate's import-time folders into $BILINGUAL_HOME, then restore."""
    base = home() / "argos"
    wanted = {
        "XDG_DATA_HOME": base / "data",
        "XDG_CONFIG_HOME": base / "config",
        "XDG_CACHE_HOME": base / "cache",
        "ARGOS_PACKAGES_DIR": base / "packages",
    }
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update({key: str(value) for key, value in wanted.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def argos(module: str) -> ModuleType:
    """Import ``argostranslate.<module>`` without it writing under $HOME. ONNX Runtime,
    which argostranslate may load, sends telemetry unless told not to: it is told."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    name = f"argostranslate.{module}"
    with _argos_settings_env():
        return importlib.import_module(name)


def check_loads(path: Path, source: str) -> None:
    """Load the model in ``path`` once (weights and tokenizer): a ModelError naming
    ``source`` if it does not."""
    try:
        import ctranslate2
    except ImportError as e:
        raise ModelError(
            f"{source}: cannot check the model without the 'argos' extra: "
            "pip install 'bilingual-toolkit[argos]'"
        ) from e
    try:
        ctranslate2.Translator(str(path / "model"), device="cpu")
        argos("package").Package(path).tokenizer.encode("test")
    except Exception as e:  # whatever CTranslate2, SentencePiece or argostranslate raise
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ModelError(f"{source}: refused: the model does not load: {first}") from e


def installed() -> list[ModelInfo]:
    """The installed models, by name."""
    root = models_dir()
    if not root.is_dir():
        return []
    found = (_read_info(p) for p in sorted(root.iterdir()) if not p.name.startswith("."))
    return [info for info in found if info is not None]


def find(source: str, target: str) -> ModelInfo | None:
    """The installed model for a language pair, read from metadata (no model is loaded)."""
    return next((m for m in installed() if (m.source, m.target) == (source, target)), None)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = Path(name).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return f"unsafe path {name!r}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"symbolic link {name!r}"
    return None


def install_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_UNPACKED_BYTES) -> ModelInfo:
    """Check and install a ``.argosmodel`` archive; nothing is left behind on failure.

    Refused: not a regular zip file; absolute or ``..`` member paths; symbolic links; more
    than ``max_bytes`` unpacked (declared or actual), more than :data:`MAX_MEMBERS`
    members or a compression ratio over :data:`MAX_RATIO`; no single package folder
    holding ``metadata.json``, ``model/model.bin`` and a tokenizer; a model that does not
    load (it is loaded once here, so a broken one never reaches ``translate``).
    """
    source = str(path)
    try:
        mode = os.stat(source).st_mode
    except OSError as e:
        raise ModelError(f"{source}: {e.strerror}") from e
    if not stat.S_ISREG(mode):
        raise ModelError(f"{source}: not a regular file")
    if not zipfile.is_zipfile(source):
        raise ModelError(f"{source}: not a model archive (not a zip file)")
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        _check_archive(source, infos, max_bytes, os.stat(source).st_size)
        top = Path(infos[0].filename).parts[0]
        root = models_dir()
        try:
            root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
        except OSError as e:
            raise ModelError(f"cannot write to {root}: {e.strerror}") from e
        try:
            _extract(archive, infos, staging, max_bytes, source)
            info = _read_info(staging / top)
            if info is None or not info.source or not info.target:
                raise ModelError(f"{source}: metadata.json lacks from_code or to_code")
            check_loads(staging / top, source)
            final = root / top
            if final.is_symlink():
                final.unlink()
            elif final.exists():
                shutil.rmtree(final)
            (staging / top).rename(final)
        except BilingualError:
            raise
        except Exception as e:  # a full disk, ...
            raise ModelError(f"{source}: cannot install: {e}") from e
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    found = _read_info(final)
    assert found is not None
    return found


def _check_archive(
    source: str, infos: list[zipfile.ZipInfo], max_bytes: int, archive_size: int
) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ModelError(f"{source}: refused: more than {MAX_MEMBERS} members")
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ModelError(f"{source}: refused: {problem}")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > max_bytes:
        raise ModelError(f"{source}: refused: unpacks to more than {max_bytes:,} bytes")
    if unpacked > MAX_RATIO * max(archive_size, 1 << 16):
        raise ModelError(f"{source}: refused: unpacks to over {MAX_RATIO} times its size")
    tops = {Path(i.filename).parts[0] for i in infos if Path(i.filename).parts}
    if len(tops) != 1:
        raise ModelError(f"{source}: expected one package folder, found {sorted(tops)}")
    top = tops.pop()
    names = {i.filename.rstrip("/") for i in infos}
    for required in ("metadata.json", "model/model.bin"):
        if f"{top}/{required}" not in names:
            raise ModelError(f"{source}: not a model: {top}/{required} is missing")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names:
        raise ModelError(f"{source}: not a model: no sentencepiece.model or bpe.model")


def _extract(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], into: Path, max_bytes: int, source: str
) -> None:
    """Extract counting the bytes actually written: declared sizes can lie."""
    written = 0
    for info in infos:
        target = into / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > max_bytes:
                    raise ModelError(f"{source}: refused: unpacks to more than {max_bytes:,} bytes")
                dst.write(chunk)


def remove(name: str) -> None:
    """Remove the installed model ``name``: a direct child of the models folder (a symbolic
    link is removed, never what it points to)."""
    root = models_dir()
    if not name or name in (".", "..") or "/" in name or os.sep in name or name.startswith("."):
        raise ModelError(f"not a model name: {name!r} (see `bilingual models list`)")
    path = root / name
    if path.is_symlink():
        path.unlink()
        return
    if _read_info(path) is None:
        names = ", ".join(m.name for m in installed()) or "none installed"
        raise ModelError(f"no installed model named {name!r} ({names})")
    shutil.rmtree(path)


def index_url(url: str | None = None) -> str:
    """The package index: the argument, ``$BILINGUAL_PACKAGE_INDEX``, or Argos's."""
    url = url or os.environ.get("BILINGUAL_PACKAGE_INDEX") or DEFAULT_INDEX
    return url if url.endswith(".json") else url.rstrip("/") + "/index.json"


def install(source: str, target: str, *, url: str | None = None) -> ModelInfo:
    """Download the index's package for a language pair and install it."""
    index = index_url(url)
    try:
        with urllib.request.urlopen(index, timeout=60) as response:
            packages = json.loads(response.read())
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read the package index {index}: {e}") from e
    links: list[str] = []
    for package in packages if isinstance(packages, list) else []:
        if (
            isinstance(package, dict)
            and (package.get("from_code"), package.get("to_code")) == (source, target)
            and package.get("links")
        ):
            links = list(package["links"])
            break
    if not links:
        raise ModelError(f"the package index {index} has no {source} → {target} model")
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".download-", suffix=".argosmodel") as tmp:
        try:
            with urllib.request.urlopen(links[0], timeout=600) as response:
                shutil.copyfileobj(response, tmp)
        except OSError as e:
            raise ModelError(f"cannot download {links[0]}: {e}") from e
        tmp.flush()
        return install_file(tmp.name)
