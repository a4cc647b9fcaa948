#!/usr/bin/env bash
# tests/fuzz/make_corpus.sh — regenerates the seed corpus in tests/fuzz/corpus/<target>/ from the golden models:
# small valid inputs of each format (and a few near misses), for libFuzzer to mutate. Needs a built rgemma
# (RC_BUILD_DIR, default build/) for the state files. The committed corpus is what this wrote; keep it < 1 MB.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="$root/tests/fuzz/corpus"
data="$root/tests/data"
rgemma="${RC_BUILD_DIR:-$root/build}/app/rgemma/rgemma"
rm -rf "$corpus"
mkdir -p "$corpus"/{safetensors,index,config,tokenizer,tokenizer_text,state_file,q4_checkpoint,hub_protocol,chat_file}

python3 - "$corpus" "$data" <<'PY'
import json, struct, sys, pathlib
corpus, data = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

def safetensors(tensors, metadata=None, pad=0):
    header, blob = {}, b""
    sizes = {"F32": 4, "BF16": 2, "F16": 2, "I8": 1}
    for name, (dtype, shape) in tensors.items():
        n = sizes[dtype]
        for d in shape: n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + n]}
        blob += bytes((i * 7) & 0xFF for i in range(n))
    if metadata is not None: header["__metadata__"] = metadata
    text = json.dumps(header).encode() + b" " * pad
    return struct.pack("<Q", len(text)) + text + blob

out = corpus / "safetensors"
out.joinpath("small_f32").write_bytes(safetensors({"a": ("F32", [2, 3]), "b": ("F32", [])}, {"format": "pt"}))
out.joinpath("mixed").write_bytes(safetensors({"x": ("BF16", [4]), "y": ("F16", [1, 2]), "z": ("F32", [0, 5])}))
out.joinpath("padded").write_bytes(safetensors({"w": ("F32", [3])}, pad=5))
# The real golden header (names, shapes, offsets of tiny-f32) without its data: a near miss worth mutating.
raw = (data / "tiny-f32/model.safetensors").read_bytes()
(length,) = struct.unpack("<Q", raw[:8])
out.joinpath("golden_header_only").write_bytes(raw[:8 + length])
# The same header with shapes shrunk to fit tiny data: valid, with every real tensor name.
header = json.loads(raw[8:8 + length])
shrunk = {k: ("F32", [1] * len(v["shape"])) for k, v in header.items() if k != "__metadata__"}
out.joinpath("golden_names_valid").write_bytes(safetensors(shrunk))

out = corpus / "index"
names = sorted(k for k in header if k != "__metadata__")
index = {"metadata": {"total_size": 1234}, "weight_map": {n: f"model-0000{1 + i % 2}-of-00002.safetensors"
                                                          for i, n in enumerate(names)}}
out.joinpath("golden_sharded").write_text(json.dumps(index, indent=2))
out.joinpath("small").write_text('{"weight_map": {"a": "model.safetensors", "b": "x.safetensors"}}')
out.joinpath("escape").write_text('{"weight_map": {"a": "../model.safetensors"}}')

out = corpus / "config"
for name in ("tiny-f32", "tiny-bf16", "2b-shape-bf16"):
    out.joinpath(name).write_bytes((data / name / "config.json").read_bytes())
cfg = json.loads((data / "tiny-f32/config.json").read_text())
for key in ("lru_width", "head_dim", "block_types"):
    cfg.pop(key, None)
cfg["_block_types"] = ["recurrent", "attention"]
out.joinpath("optional_keys_absent").write_text(json.dumps(cfg))

out = corpus / "tokenizer"
out.joinpath("golden").write_bytes((data / "tiny-f32/tokenizer.model").read_bytes())

out = corpus / "tokenizer_text"
texts = {
    "chat": "<start_of_turn>user\nHello there!<end_of_turn>\n<start_of_turn>model\n",
    "control_as_text": "<bos><eos><pad> <unk> <start_of_turn>",
    "rtl_combining": "שלום עולם مرحبا e\u0301\u0301\u0301 Z\u0351\u0352\u0353 \u202eabc\u202c",
    "emoji": "👩‍👩‍👧 🇫🇷 \U0010FFFF",
    "markdown_html": "<script>alert(1)</script> <img src=http://x/y.png> **bold** `code`",
}
for name, text in texts.items():
    out.joinpath(name).write_text(text, encoding="utf-8")
out.joinpath("invalid_utf8").write_bytes(b"ab\xff\xfe\xc3(\xe2\x82\x00nul\x00\xed\xa0\x80 \xf4\x90\x80\x80")

# The Hub's answers as fuzz_hub_protocol reads them: a header block, a blank line, a page of the tree API.
out = corpus / "hub_protocol"
oid, sha = "0123456789abcdef0123456789abcdef01234567", "ab" * 32
page = json.dumps([
    {"type": "file", "oid": oid, "size": 806, "path": "config.json"},
    {"type": "directory", "oid": oid, "size": 0, "path": "docs"},
    {"type": "file", "oid": oid, "size": 13926408, "path": "model.safetensors",
     "lfs": {"oid": sha, "size": 13926408, "pointerSize": 134}},
    {"type": "file", "oid": oid, "size": 9, "path": "docs/a b.md"},
]).encode()
lfs_head = (f"google/recurrentgemma-2b\nX-Repo-Commit: {oid}\nX-Linked-Etag: \"{sha}\"\nX-Linked-Size: 13926408\n"
            f"ETag: \"other\"\nLocation: https://cdn-lfs.hf.co/repos/{sha}?X-Amz-Signature=1\n"
            f"Link: <https://huggingface.co/api/models/a/b/tree/main?cursor=abc>; rel=\"next\"\n"
            f"Content-Range: bytes 100-13926407/13926408").encode()
small_head = f"refs/pr/1\nx-repo-commit: {oid}\netag: W/\"{oid}\"\ncontent-length: 806".encode()
out.joinpath("lfs_file").write_bytes(lfs_head + b"\n\n" + page)
out.joinpath("small_file").write_bytes(small_head + b"\n\n[]")
out.joinpath("hostile").write_bytes(b"../etc\nX-Repo-Commit: ../../x\nLocation: file:///etc/passwd\n\n"
                                     b'[{"type":"file","oid":"x","size":-1,"path":"../../evil"}]')
PY

# State files of tiny-f32: before, at and past the attention window (8), and one of the 2b-shaped model (a
# valid file of another model, rejected by fingerprint).
for n in 1 8 13; do
    ids="2$(for i in $(seq 2 "$n"); do printf ',%d' $((5 + i * 37 % 990)); done)"
    "$rgemma" generate --model "$data/tiny-f32" --ids "$ids" --max-tokens 1 --print-ids \
        --state-out "$corpus/state_file/tiny_f32_pos$n" >/dev/null
done
"$rgemma" generate --model "$data/2b-shape-bf16" --ids 2,17 --max-tokens 1 --print-ids \
    --state-out "$corpus/state_file/2b_shape_pos2" >/dev/null
chmod 644 "$corpus"/state_file/*

# 4-bit checkpoints of q4_config.json (fuzz_q4_checkpoint): random f32 weights in the names and shapes of
# docs/checkpoint-format.md §3, quantized by rgemma (the mixed scheme: layer 0 and the embedding int8, the rest Q4K).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$root/tests/fuzz/q4_config.json" "$work/f32" <<'PY'
import json, pathlib, random, struct, sys
cfg, out = json.loads(pathlib.Path(sys.argv[1]).read_text()), pathlib.Path(sys.argv[2])
d, lru, h, hd, k = cfg["hidden_size"], cfg["lru_width"], cfg["num_attention_heads"], cfg["head_dim"], cfg["conv1d_width"]
f, v, kv = cfg["intermediate_size"] // 2, cfg["vocab_size"], cfg["num_key_value_heads"]
shapes = {"model.embed_tokens.weight": [v, d], "model.final_norm.weight": [d]}
for i in range(cfg["num_hidden_layers"]):
    p, t = f"model.layers.{i}.", f"model.layers.{i}.temporal_block."
    shapes.update({p + "temporal_pre_norm.weight": [d], p + "channel_pre_norm.weight": [d]})
    for name, shape in (("gate_proj", [f, d]), ("up_proj", [f, d]), ("down_proj", [d, f])):
        shapes.update({p + f"mlp_block.{name}.weight": shape, p + f"mlp_block.{name}.bias": shape[:1]})
    if cfg["block_types"][i % len(cfg["block_types"])] == "recurrent":
        for name, shape in (("linear_y", [lru, d]), ("linear_x", [lru, d]), ("linear_out", [d, lru])):
            shapes.update({t + f"{name}.weight": shape, t + f"{name}.bias": shape[:1]})
        shapes.update({t + "conv_1d.weight": [lru, 1, k], t + "conv_1d.bias": [lru], t + "rg_lru.recurrent_param": [lru],
                       t + "rg_lru.input_gate_weight": [h, lru // h, lru // h], t + "rg_lru.input_gate_bias": [h, lru // h],
                       t + "rg_lru.recurrent_gate_weight": [h, lru // h, lru // h],
                       t + "rg_lru.recurrent_gate_bias": [h, lru // h]})
    else:
        shapes.update({t + "q_proj.weight": [h * hd, d], t + "k_proj.weight": [kv * hd, d],
                       t + "v_proj.weight": [kv * hd, d], t + "o_proj.weight": [d, h * hd], t + "o_proj.bias": [d]})
rng, header, blob = random.Random(14), {}, b""
for name, shape in sorted(shapes.items()):
    n = 1
    for s in shape: n *= s
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(blob), len(blob) + 4 * n]}
    blob += struct.pack(f"<{n}f", *(rng.gauss(0, 0.1) for _ in range(n)))
out.mkdir(parents=True)
text = json.dumps(header).encode()
(out / "model.safetensors").write_bytes(struct.pack("<Q", len(text)) + text + blob)
(out / "config.json").write_text(json.dumps(cfg))
PY
"$rgemma" quantize --model "$work/f32" --to q4k --out "$work/q4k" >/dev/null
cp "$work/q4k/model.safetensors" "$corpus/q4_checkpoint/mixed_q4k"
chmod 644 "$corpus"/q4_checkpoint/*
# Conversation files (docs/rgchat-format.md) around those states: one without states, one with a state after the
# last reply (its tokens summing to the state's position), one with a branch and an attachment.
python3 - "$corpus" <<'PY'
import struct, sys, pathlib
corpus = pathlib.Path(sys.argv[1])
MASK = (1 << 64) - 1
P1, P2, P3, P4, P5 = 11400714785074694791, 14029467366897019727, 1609587929392839161, 9650029242287828579, 2870177450012600261
def rotl(x, r): return ((x << r) | (x >> (64 - r))) & MASK
def rnd(acc, lane): return (rotl((acc + lane * P2) & MASK, 31) * P1) & MASK
def merge(acc, v): return ((acc ^ rnd(0, v)) * P1 + P4) & MASK
def xxh64(data):  # the XXH64 specification, seed 0
    n, i = len(data), 0
    if n >= 32:
        v = [(P1 + P2) & MASK, P2, 0, (-P1) & MASK]
        while i + 32 <= n:
            for k in range(4): v[k] = rnd(v[k], struct.unpack_from("<Q", data, i + 8 * k)[0])
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & MASK
        for k in range(4): h = merge(h, v[k])
    else:
        h = P5
    h = (h + n) & MASK
    while i + 8 <= n:
        h = (rotl(h ^ rnd(0, struct.unpack_from("<Q", data, i)[0]), 27) * P1 + P4) & MASK; i += 8
    if i + 4 <= n:
        h = (rotl(h ^ (struct.unpack_from("<I", data, i)[0] * P1 & MASK), 23) * P2 + P3) & MASK; i += 4
    while i < n:
        h = (rotl(h ^ (data[i] * P5 & MASK), 11) * P1) & MASK; i += 1
    h ^= h >> 33; h = h * P2 & MASK; h ^= h >> 29; h = h * P3 & MASK; h ^= h >> 32
    return h
def s(text): b = text.encode(); return struct.pack("<I", len(b)) + b
def section(tag, payload): return tag + struct.pack("<Q", len(payload)) + payload
def rgchat(messages, leaf, states=(), fingerprint="", attachments=()):
    chat = s("Seed chat") + s("Be brief.") + struct.pack("<qq", 1765000000000, 1765000001000) + s(fingerprint)
    chat += s("tiny-f32") + struct.pack("<I", 1) + s("temperature") + s("0.7")
    chat += struct.pack("<IIII", len(messages), leaf, len(attachments), len(states))
    msgs = b"".join(struct.pack("<IBq", parent, role, 1765000000500) + s(text) + s(stop) +
                    struct.pack("<I", len(tokens)) + struct.pack(f"<{len(tokens)}i", *tokens)
                    for parent, role, text, stop, tokens in messages)
    atch = b"".join(struct.pack("<I", m) + s(name) + s(kind) + s(text) for m, name, kind, text in attachments)
    body = section(b"CHAT", chat) + section(b"MSGS", msgs) + section(b"ATCH", atch)
    body += b"".join(section(b"STAT", struct.pack("<I", m) + blob) for m, blob in states)
    head = b"RGCHAT\0\0" + struct.pack("<IQI", 1, 24 + len(body) + 8, 3 + len(states))
    return head + body + struct.pack("<Q", xxh64(head + body))
NONE = 0xFFFFFFFF
out = corpus / "chat_file"
out.joinpath("no_states").write_bytes(rgchat([(NONE, 0, "Hi", "", [2, 5]), (0, 1, "Hello!", "end", [7])], 1))
state = (corpus / "state_file/tiny_f32_pos13").read_bytes()
e = struct.unpack_from("<H", state, 20)[0]
fingerprint = state[24 + e:24 + e + 32].decode()
position = struct.unpack_from("<q", state, 24 + e + 32)[0]
turn = [(NONE, 0, "Hi ✓", "", list(range(2, 2 + position - 3))), (0, 1, "Hello!", "end", [7, 8, 9])]
out.joinpath("one_state").write_bytes(rgchat(turn, 1, [(1, state)], fingerprint))
branches = turn + [(1, 0, "More", "", [4]), (2, 1, "No.", "length", [5, 6]), (2, 1, "Yes.", "stopped", [6])]
out.joinpath("branches").write_bytes(rgchat(branches, 3, [(1, state)], fingerprint,
                                            [(2, "notes.md", "text/markdown", "# Notes")]))
PY
du -sh "$corpus"
