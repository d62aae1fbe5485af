"""Argos Translate models: installing them safely, and translating with CTranslate2.

argostranslate reads the packages (``Package``: metadata, tokenizer); CTranslate2 does the
translation, with all sentences of a run in ``translate_batch`` (``batch_type="tokens"``)
instead of argostranslate's paragraph-at-a-time ``translate()`` and its MiniSBD splitter,
which downloads a model at translate time.

Models live in ``$BILINGUAL_HOME/models`` (default: ``bilingual`` under the user's data
directory, ``$XDG_DATA_HOME`` or ``~/.local/share``). Importing argostranslate creates
folders under ``$HOME``; we import it with its settings pointed into ``$BILINGUAL_HOME``.
"""

from __future__ import annotations

import contextlib
import hashlib
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
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import BilingualError, ConfigError

MAX_UNPACKED_BYTES = 2 * 1024**3
"""An archive that unpacks to more than this (2 GiB) is refused."""


class ModelError(BilingualError):
    """A model archive that is unsafe or incomplete, or a model that is not installed."""


def home() -> Path:
    """``$BILINGUAL_HOME``, or ``bilingual`` in the user's data directory."""
    if os.environ.get("BILINGUAL_HOME"):
        return Path(os.environ["BILINGUAL_HOME"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "bilingual"


def models_dir() -> Path:
    return home() / "models"


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
    """Import ``argostranslate.<module>`` without it writing under $HOME."""
    name = f"argostranslate.{module}"
    with _argos_settings_env():
        return importlib.import_module(name)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    source: str
    target: str
    version: str
    path: Path

    def __str__(self) -> str:
        return f"{self.name}\t{self.source} → {self.target}\t{self.version}\t{self.path}"


def _info(path: Path) -> ModelInfo:
    package = argos("package").Package(path)
    return ModelInfo(
        path.name,
        package.from_code,
        package.to_code,
        str(getattr(package, "package_version", "")),
        path,
    )


def installed() -> list[ModelInfo]:
    """The installed models, by name."""
    root = models_dir()
    if not root.is_dir():
        return []
    return [_info(p) for p in sorted(root.iterdir()) if (p / "metadata.json").is_file()]


def find(source: str, target: str) -> ModelInfo | None:
    """The installed model for a language pair, read from metadata (no model is loaded)."""
    root = models_dir()
    if not root.is_dir():
        return None
    for path in sorted(root.iterdir()):
        try:
            meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("from_code") == source and meta.get("to_code") == target:
            return ModelInfo(path.name, source, target, str(meta.get("package_version", "")), path)
    return None


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

    Refused: not a zip; absolute or ``..`` member paths; symbolic links; more than
    ``max_bytes`` unpacked (declared or actual); no single package folder holding
    ``metadata.json``, ``model/model.bin`` and a tokenizer.
    """
    source = str(path)
    if not zipfile.is_zipfile(source):
        raise ModelError(f"{source}: not a model archive (not a zip file)")
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        for info in infos:
            problem = _member_problem(info)
            if problem:
                raise ModelError(f"{source}: refused: {problem}")
        if sum(i.file_size for i in infos) > max_bytes:
            raise ModelError(f"{source}: refused: unpacks to more than {max_bytes:,} bytes")
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
        root = models_dir()
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
        try:
            _extract(archive, infos, staging, max_bytes, source)
            info = _info(staging / top)
            if not info.source or not info.target:
                raise ModelError(f"{source}: metadata.json lacks from_code or to_code")
            final = root / top
            if final.exists():
                shutil.rmtree(final)
            (staging / top).rename(final)
        except BilingualError:
            raise
        except Exception as e:  # a malformed metadata.json, a full disk, ...
            raise ModelError(f"{source}: cannot install: {e}") from e
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _info(final)


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
    path = models_dir() / name
    if not (path / "metadata.json").is_file():
        names = ", ".join(m.name for m in installed()) or "none installed"
        raise ModelError(f"no installed model named {name!r} ({names})")
    shutil.rmtree(path)


def index_url(url: str | None = None) -> str:
    """The package index: the argument, ``$BILINGUAL_PACKAGE_INDEX``, or argostranslate's."""
    url = url or os.environ.get("BILINGUAL_PACKAGE_INDEX")
    if not url:
        url = argos("settings").remote_package_index
    return url if url.endswith(".json") else url.rstrip("/") + "/index.json"


def install(source: str, target: str, *, url: str | None = None) -> ModelInfo:
    """Download the index's package for a language pair and install it."""
    index = index_url(url)
    try:
        with urllib.request.urlopen(index, timeout=60) as response:
            packages = json.loads(response.read())
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read the package index {index}: {e}") from e
    available_package = argos("package").AvailablePackage
    for metadata in packages:
        package = available_package(metadata)
        if package.from_code == source and package.to_code == target and package.links:
            break
    else:
        raise ModelError(f"the package index {index} has no {source} → {target} model")
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".download-", suffix=".argosmodel") as tmp:
        try:
            with urllib.request.urlopen(package.links[0], timeout=600) as response:
                shutil.copyfileobj(response, tmp)
        except OSError as e:
            raise ModelError(f"cannot download {package.links[0]}: {e}") from e
        tmp.flush()
        return install_file(tmp.name)


# --- the engine ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _translator(model: str, device: str, inter_threads: int, intra_threads: int) -> Any:
    import ctranslate2

    return ctranslate2.Translator(
        model, device=device, inter_threads=inter_threads, intra_threads=intra_threads
    )


class ArgosEngine:
    """An installed Argos model, run with CTranslate2 on all sentences of a batch at once.

    ``beam_size`` defaults to argostranslate's (4); with ``beam_size=1`` the output is the
    greedy one, identical to argostranslate's own ``translate()`` at ``ARGOS_BEAM_SIZE=1``.
    """

    name = "argos"

    def __init__(
        self,
        source: str,
        target: str,
        *,
        device: str = "cpu",
        inter_threads: int | None = None,
        intra_threads: int = 1,
        max_batch_size: int = 1024,
        beam_size: int = 4,
    ) -> None:
        """``inter_threads`` translators (default: the cores, at most 4) each take batches of
        ``max_batch_size`` tokens with ``intra_threads`` threads: on 2 cores this measured 3×
        faster than one translator using both cores on one large batch."""
        if inter_threads is None:
            inter_threads = min(4, os.cpu_count() or 1)
        info = find(source, target)
        if info is None:
            raise ModelError(
                f"no {source} → {target} model installed; install one with "
                f"`bilingual models install {source} {target}` or `bilingual models install-file`"
            )
        if device not in ("cpu", "cuda", "auto"):
            raise ConfigError(f"device must be cpu, cuda or auto, not {device!r}")
        if device == "auto":
            import ctranslate2

            device = "cuda" if ctranslate2.get_cuda_device_count() else "cpu"
        self.package = argos("package").Package(info.path)
        self.info = info
        self.options = dict(device=device, inter_threads=inter_threads, intra_threads=intra_threads)
        self.max_batch_size = max_batch_size
        self.beam_size = beam_size
        model_bin = info.path / "model" / "model.bin"
        digest = hashlib.sha1((info.path / "metadata.json").read_bytes())
        digest.update(f"{model_bin.stat().st_size}:{model_bin.stat().st_mtime_ns}".encode())
        self.id = f"argos:{info.name}:{digest.hexdigest()[:12]}:beam{beam_size}"

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        if not sentences:
            return []
        translator = _translator(str(self.info.path / "model"), **self.options)
        tokenizer = self.package.tokenizer
        tokens = [tokenizer.encode(s) for s in sentences]
        prefix = getattr(self.package, "target_prefix", "")
        results = translator.translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            replace_unknowns=True,
            max_batch_size=self.max_batch_size,
            batch_type="tokens",
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
        )
        out = []
        for result in results:
            text = tokenizer.decode(result.hypotheses[0])
            if prefix and text.startswith(prefix):
                text = text[len(prefix) :]
            out.append(text[1:] if text.startswith(" ") else text)
        return out
