"""A tiny but genuine Argos model, built locally in about a second.

SentencePiece (byte fallback, full character coverage) trained on a few KB of our text,
a CTranslate2 ``TransformerSpec`` (2+2 layers, 4 heads, d=16) filled with seeded numpy
weights and saved by a ``Converter`` subclass, zipped with ``metadata.json`` as a valid
``.argosmodel``. Its translations are deterministic garbage: right for testing plumbing.

For argostranslate's own ``translate()`` (the reference in tests and benchmarks), the
package also carries ``minisbd/rules.onnx``: a MiniSBD model in MiniSBD's format (character
ids in, 5 tag scores out, config and vocab in the metadata) whose one rule is "a sentence
ends after 。！？!?" (not after ".", which is also a decimal point). Otherwise MiniSBD would
download a model at translate time.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np

TRAINING_TEXT = "\n".join(
    [
        "据中国汽车工业协会整理的海关总署数据显示，汽车整车进口同比下降。",
        "In 2025, 476,000 complete vehicles were imported, down 32.4% YoY.",
        "乘联会数据显示，一月新能源乘用车零售七十二万辆。",
        "GEM signed a memorandum of understanding with Ascend Elements.",
        "黑粉价格上涨，三元前驱体需求回暖。Black mass prices rose.",
    ]
    * 30
)
D_MODEL, FFN = 16, 32


def _shape(name: str, vocab: int) -> tuple[int, ...]:
    last = name.rsplit("/", 1)[-1]
    if name.endswith(("embeddings/weight", "embeddings_0/weight", "projection/weight")):
        return (vocab, D_MODEL)
    if name.endswith("projection/bias"):
        return (vocab,)
    if last in ("gamma", "beta"):
        return (D_MODEL,)
    rows = {"ffn/linear_0": FFN, "self_attention/linear_0": 3 * D_MODEL}
    for key, n in rows.items():
        if key in name:
            return (n, D_MODEL) if last == "weight" else (n,)
    if "ffn/linear_1" in name:
        return (D_MODEL, FFN) if last == "weight" else (D_MODEL,)
    if re.search(r"/attention/linear_1", name):
        return (2 * D_MODEL, D_MODEL) if last == "weight" else (2 * D_MODEL,)
    if re.search(r"attention/linear_\d", name):
        return (D_MODEL, D_MODEL) if last == "weight" else (D_MODEL,)
    raise KeyError(name)


def _converter(vocab: list[str], seed: int, eos_bias: float):  # type: ignore[no-untyped-def]
    from ctranslate2 import converters, specs

    class TinyConverter(converters.Converter):
        def _load(self):  # type: ignore[no-untyped-def]
            spec = specs.TransformerSpec.from_config((2, 2), 4)
            rng = np.random.default_rng(seed)

            def fill(layer: object, prefix: str) -> None:
                for attr, value in list(vars(layer).items()):
                    path = f"{prefix}/{attr}" if prefix else attr
                    if isinstance(value, specs.LayerSpec):
                        fill(value, path)
                    elif (
                        isinstance(value, list) and value and isinstance(value[0], specs.LayerSpec)
                    ):
                        for i, item in enumerate(value):
                            fill(item, f"{path}_{i}")
                    elif value is None:
                        try:
                            shape = _shape(path, len(vocab))
                        except KeyError:
                            continue
                        weights = rng.normal(0, 0.5, shape).astype(np.float32)
                        setattr(
                            layer, attr, np.ones(shape, np.float32) if attr == "gamma" else weights
                        )

            fill(spec, "")
            # A bias towards </s> ends outputs after a few dozen tokens, as a real model's
            # do, instead of always running to the 256-token limit.
            bias = np.zeros(len(vocab), np.float32)
            bias[vocab.index("</s>")] = eos_bias
            spec.decoder.projection.bias = bias
            spec.register_source_vocabulary(vocab)
            spec.register_target_vocabulary(vocab)
            return spec

    return TinyConverter()


def _minisbd_onnx(path: Path) -> None:
    """A rule-based MiniSBD model: tag 2 (sentence end) after 。！？!?, else 1."""
    import onnx
    from onnx import TensorProto, helper

    units = ["<PAD>", "<UNK>", "<EMPTY>", " ", *"。！？!?"]
    table = np.full((len(units), 5), -5.0, dtype=np.float32)
    table[:, 1] = 5.0  # every character ends a token: fine for splitting sentences
    for i, unit in enumerate(units):
        if unit in "。！？!?":
            table[i, 1], table[i, 2] = -5.0, 5.0
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "units"], ["scores"], axis=0),
            helper.make_node("Identity", ["features"], ["features_out"]),
        ],
        "minisbd_rules",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "time"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "time", 3]),
        ],
        [
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", "time", 5]),
            helper.make_tensor_value_info("features_out", TensorProto.FLOAT, ["batch", "time", 3]),
        ],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten().tolist())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    vocab = {
        "lang": "zh",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(units)},
        "_id2unit": units,
    }
    config = {
        "feat_funcs": ["space_before", "capitalized", "numeric"],
        "max_seqlen": 300,
        "batch_size": 32,
    }
    for key, value in (
        ("lang_code", "zh"),
        ("config", json.dumps(config)),
        ("vocab", json.dumps(vocab)),
        ("lexicon", "null"),
    ):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, str(path))


def build_argosmodel(
    workdir: Path,
    *,
    source: str = "zh",
    target: str = "en",
    seed: int = 0,
    name: str | None = None,
    eos_bias: float = 4.0,
) -> Path:
    """Build ``<workdir>/<name>.argosmodel`` and return its path."""
    import sentencepiece as spm

    name = name or f"translate-{source}_{target}-0_1"
    build = workdir / f"build-{name}"
    package = build / name
    (package / "minisbd").mkdir(parents=True, exist_ok=True)
    corpus = build / "train.txt"
    corpus.write_text(TRAINING_TEXT, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(package / "sentencepiece"),
        vocab_size=400,
        byte_fallback=True,
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    _converter(vocab, seed, eos_bias).convert(str(package / "model"), force=True)
    (package / "sentencepiece.vocab").unlink(missing_ok=True)
    _minisbd_onnx(package / "minisbd" / "rules.onnx")
    metadata = {
        "package_version": "0.1",
        "argos_version": "1.9.0",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
        "languages": [{"code": source, "name": source}, {"code": target, "name": target}],
    }
    (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    archive = workdir / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted(package.rglob("*")):
            z.write(file, file.relative_to(build))
    return archive
