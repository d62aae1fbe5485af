"""Write a tiny but genuine llama-architecture GGUF model (random weights) in well under a
second, for llama-cpp-python's OpenAI-compatible server (tests/servers/llama.py).

    python tests/servers/tiny_gguf.py OUT.gguf [--seed 0] [--eos-bias 6.0]

Needs ``numpy`` and ``gguf`` (``pip install gguf``; 0.19.0 tested). The model:
* architecture ``llama``: 2 blocks, d_model 64, 4 heads (head dim 16, GQA-free), FFN 128,
  context 2048, RMSNorm eps 1e-5, all tensors F32 (~0.9 MB for a ~1.2k-token vocab);
* a SentencePiece-style (``tokenizer.ggml.model = "llama"``) vocab: <unk>, <s>, </s>,
  <|im_start|>, <|im_end|> (control), the 256 byte-fallback tokens <0x00>..<0xFF>, then
  printable ASCII, "▁"-prefixed English words and digits, and a few hundred CJK characters;
* a ChatML ``tokenizer.chat_template``; ``<|im_end|>`` is the EOS token, so
  llama-cpp-python's server stops there (it uses the GGUF template when no --chat_format).

Weights are seeded Gaussian noise, so outputs are deterministic garbage for temperature 0.
Two tricks keep that garbage short and printable, like a real model's:
* channel 0 of the residual stream is a constant (token embeddings have 4.0 there and every
  block's output projections have a zero row 0), so after the final RMSNorm it acts as a
  bias input: the LM-head column 0 adds ``eos_bias`` to <|im_end|>'s logit (answers end
  after a few to a few dozen tokens), and -30 to control and byte tokens (so the model
  practically never emits lone UTF-8 bytes that decode to nothing);
* nothing else: attention/FFN are random, RoPE is standard.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if so no will "
    "more can said who what up about into than them its only other new some could time these two "
    "may then do first any like my now over such our man me even most made after also did many "
    "before must through back years where much your way well down should because each just those "
    "vehicles imported down YoY prices rose black mass battery lithium nickel cobalt market sales "
    "retail passenger energy January February percent million billion tons data shows signed "
    "memorandum understanding import export year growth demand supply China Chinese English "
    "translate translation glossary number company report quarter revenue profit"
).split()
CJK = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作"
    "里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想"
    "实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解"
    "据汽车整进口同比下降乘联会数显示一月新能源用零售七万辆黑粉价格涨三元前驱需求暖签署谅解备忘录协业海关总署"
)
SPECIAL = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
N_EMBD, N_HEAD, N_FF, N_LAYER, N_CTX = 64, 4, 128, 2, 2048


def vocabulary() -> tuple[list[str], list[float], list[int]]:
    tokens = list(SPECIAL)
    types = [2, 3, 3, 3, 3]  # UNKNOWN, CONTROL...
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [6] * 256  # BYTE
    seen = set(tokens)
    normal = ["▁"] + [chr(c) for c in range(33, 127)] + [str(d) for d in range(10)]
    normal += ["▁" + w for w in WORDS] + ["▁" + str(n) for n in range(100)]
    normal += list(dict.fromkeys(CJK))
    for piece in normal:
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
            types.append(1)  # NORMAL
    # SentencePiece-like scores: longer pieces merge first
    scores = [0.0 if t != 1 else -1.0 / (1 + len(p)) for p, t in zip(tokens, types, strict=True)]
    return tokens, scores, types


def build_gguf(out: str | Path, *, seed: int = 0, eos_bias: float = 6.0) -> Path:
    import gguf

    out = Path(out)
    tokens, scores, types = vocabulary()
    n_vocab = len(tokens)
    rng = np.random.default_rng(seed)

    def rand(*shape: int, scale: float = 0.3) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w = gguf.GGUFWriter(str(out), "llama")
    w.add_name("bilingual-tiny-llama")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_vocab_size(n_vocab)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(SPECIAL.index("<s>"))
    w.add_eos_token_id(SPECIAL.index("<|im_end|>"))
    w.add_unk_token_id(SPECIAL.index("<unk>"))
    w.add_add_bos_token(False)
    w.add_add_eos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    emb = rand(n_vocab, N_EMBD, scale=1.0)
    emb[:, 0] = 4.0  # constant channel: a bias input for the LM head
    w.add_tensor("token_embd.weight", emb)
    for i in range(N_LAYER):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", np.ones(N_EMBD, np.float32))
        w.add_tensor(p + "attn_q.weight", rand(N_EMBD, N_EMBD))
        w.add_tensor(p + "attn_k.weight", rand(N_EMBD, N_EMBD))
        w.add_tensor(p + "attn_v.weight", rand(N_EMBD, N_EMBD))
        o = rand(N_EMBD, N_EMBD)
        o[0, :] = 0.0  # keep channel 0 constant
        w.add_tensor(p + "attn_output.weight", o)
        w.add_tensor(p + "ffn_norm.weight", np.ones(N_EMBD, np.float32))
        w.add_tensor(p + "ffn_gate.weight", rand(N_FF, N_EMBD))
        w.add_tensor(p + "ffn_up.weight", rand(N_FF, N_EMBD))
        d = rand(N_EMBD, N_FF)
        d[0, :] = 0.0
        w.add_tensor(p + "ffn_down.weight", d)
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, np.float32))
    head = rand(n_vocab, N_EMBD, scale=0.5)
    head[:, 0] = 0.0
    # after RMSNorm channel 0 is ~4/rms(x) ~ 1.3-3, so these are biases of that order
    head[[t in (2, 3, 6) for t in types], 0] = -30.0
    head[SPECIAL.index("<|im_end|>"), 0] = eos_bias
    w.add_tensor("output.weight", head)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eos-bias", type=float, default=6.0)
    a = ap.parse_args()
    path = build_gguf(a.out, seed=a.seed, eos_bias=a.eos_bias)
    print(path, path.stat().st_size, "bytes")
