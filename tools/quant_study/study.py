"""Measures every 4-bit scheme of fake_quantize.py (and int8, and f32 itself) on a trained checkpoint with the engine,
and prints the table of issue 14: held-out perplexity (replies scored), mean KL and top-1 agreement on held-out text
and on random ids, the two-digit sums answered right, and the bytes each scheme reads per decoded token in the 2B
shape, as a fraction of int8's.

usage: study.py RGEMMA MODEL_DIR HELDOUT_JSONL HELDOUT_TXT WORK_DIR [--sums N] [--only NAME,...] [--table]
  RGEMMA        the rgemma binary (build/app/rgemma/rgemma)
  MODEL_DIR     the f32 checkpoint (resources/demo-model)
  HELDOUT_JSONL make_data.py's heldout.jsonl (the sums are its "addition" rows)
  HELDOUT_TXT   heldout_text.py's output for the same rows
Writes WORK_DIR/<variant>/ (fake-quantized checkpoints) and WORK_DIR/results.json; one thread per engine call.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_quantize  # noqa: E402

SCHEMES = ["q4_0", "q4_0s", "q4_1", "q4_1s", "q4_k", "q4_ks"]
FIRST_LAYER = ["model.layers.0."]


def variants():
    """(name, scheme, embedding, tensors kept at int8 by name prefix)."""
    yield "f32", None, None, []
    yield "int8", "int8", "same", []
    for scheme in SCHEMES:
        yield scheme, scheme, "same", []
    for scheme in SCHEMES:
        yield scheme + "+emb8", scheme, "int8", []
    # The search refined (errors judged after re-rounding, least-squares refits, 6-bit neighbours), and the first
    # layer (the most sensitive: its error reaches every later one) kept at int8 too.
    for scheme in ("q4_kr", "q4_krn"):
        yield scheme + "+emb8", scheme, "int8", []
    for scheme in ("q4_0s", "q4_ks"):
        yield scheme + "+emb8+L0", scheme, "int8", FIRST_LAYER


def shape_2b():
    """(name, shape) of every tensor the 2B reads per decoded token (the embedding as the tied output layer)."""
    d, lru, heads, hd, mlp, vocab, conv = 2560, 2560, 10, 256, 7680, 256000, 4
    pattern = ["R", "R", "A"] * 9
    out = [("model.embed_tokens.weight", (vocab, d)), ("model.final_norm.weight", (d,))]
    for i, kind in enumerate(pattern[:26]):
        p = f"model.layers.{i}."
        out += [(p + "temporal_pre_norm.weight", (d,)), (p + "channel_pre_norm.weight", (d,))]
        for name, shape in (("gate_proj", (mlp, d)), ("up_proj", (mlp, d)), ("down_proj", (d, mlp))):
            out += [(p + f"mlp_block.{name}.weight", shape), (p + f"mlp_block.{name}.bias", (shape[0],))]
        if kind == "R":
            t = p + "temporal_block."
            for name in ("linear_x", "linear_y", "linear_out"):
                out += [(t + name + ".weight", (lru, lru if name != "linear_x" and name != "linear_y" else d)),
                        (t + name + ".bias", (lru,))]
            out += [(t + "conv_1d.weight", (lru, 1, conv)), (t + "conv_1d.bias", (lru,)),
                    (t + "rg_lru.input_gate_weight", (heads, lru // heads, lru // heads)),
                    (t + "rg_lru.input_gate_bias", (heads, lru // heads)),
                    (t + "rg_lru.recurrent_gate_weight", (heads, lru // heads, lru // heads)),
                    (t + "rg_lru.recurrent_gate_bias", (heads, lru // heads)), (t + "rg_lru.recurrent_param", (lru,))]
        else:
            t = p + "temporal_block."
            out += [(t + "q_proj.weight", (heads * hd, d)), (t + "k_proj.weight", (hd, d)),
                    (t + "v_proj.weight", (hd, d)), (t + "o_proj.weight", (d, heads * hd)), (t + "o_proj.bias", (d,))]
    return out


def bytes_per_token_2b(scheme, embedding, keep=()):
    """Bytes read per decoded token by the 2B (bf16 source: the tensors left unquantized stay bf16)."""
    total = 0.0
    for name, shape in shape_2b():
        n = 1
        for s in shape:
            n *= s
        if scheme is None:
            total += 2 * n  # bf16
        elif len(shape) == 2 and name.endswith(".weight"):
            at8 = (name == fake_quantize.EMBEDDING and embedding == "int8") or any(name.startswith(k) for k in keep)
            use = "int8" if at8 else scheme
            total += n * fake_quantize.BITS_PER_WEIGHT[use] / 8
        else:
            total += 2 * n
    return total


def run_json(args):
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def sums_right(rgemma, model, rows):
    right = 0
    for ex in rows:
        out = subprocess.run([rgemma, "generate", "--model", model, "--chat", "--greedy", "--prompt", ex["user"],
                              "--max-tokens", "16", "--threads", "1"], check=True, capture_output=True, text=True)
        reply = out.stdout.strip()
        right += reply.split("=")[-1].strip().rstrip(".") == ex["answer"]
    return right


def main():
    rgemma, model, heldout_jsonl, heldout_txt, work = sys.argv[1:6]
    n_sums = int(sys.argv[sys.argv.index("--sums") + 1]) if "--sums" in sys.argv else 400
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    results_path = os.path.join(work, "results.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    if "--table" in sys.argv:
        return print_table(results)
    with open(heldout_jsonl) as f:
        sums = [r for r in map(json.loads, f) if r["kind"] == "addition"][:n_sums]
    os.makedirs(work, exist_ok=True)
    int8_bytes = bytes_per_token_2b("int8", "same")
    for name, scheme, embedding, keep in variants():
        if only and name not in only:
            continue
        folder = model if scheme is None else os.path.join(work, name)
        if scheme is not None:
            subprocess.run([sys.executable, fake_quantize.__file__, model, folder, scheme, "--embedding", embedding] +
                           (["--keep-int8", ",".join(keep)] if keep else []), check=True, capture_output=True)
        common = [rgemma, "compare", "--model", folder, "--reference", model, "--threads", "1", "--json"]
        text = run_json(common + ["--text", heldout_txt, "--paragraphs", "--score", "replies"])
        rand = run_json(common)
        right = sums_right(rgemma, folder, sums)
        results[name] = {
            "perplexity": text["perplexity"], "reference_perplexity": text["reference_perplexity"],
            "text_kl": text["mean_kl_divergence"], "text_top1": text["top1_agreement"],
            "random_kl": rand["mean_kl_divergence"], "random_top1": rand["top1_agreement"],
            "sums_right": right, "sums": len(sums),
            "bytes_2b": bytes_per_token_2b(scheme, embedding, keep),
            "bytes_vs_int8": bytes_per_token_2b(scheme, embedding, keep) / int8_bytes,
        }
        print(name, json.dumps(results[name]), flush=True)
        json.dump(results, open(results_path, "w"), indent=1)
    print_table(results)


def print_table(results):
    print("| variant | held-out ppl (replies) | vs f32 | KL text | top-1 text | KL random | top-1 random | sums right |"
          " 2B bytes/token | vs int8 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['perplexity']:.3f} | {100 * (r['perplexity'] / r['reference_perplexity'] - 1):+.1f}% "
              f"| {r['text_kl']:.4f} | {r['text_top1']:.3f} | {r['random_kl']:.4f} | {r['random_top1']:.3f} "
              f"| {r['sums_right']}/{r['sums']} | {r['bytes_2b'] / 1e9:.2f} GB | {r['bytes_vs_int8']:.3f} |")


if __name__ == "__main__":
    main()
