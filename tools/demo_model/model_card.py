"""Writes resources/demo-model/MODEL_CARD.md from the evaluation results and the training log.

usage: model_card.py WORK_DIR MODEL_DIR
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

CHAT_PROMPTS = ["What is 23 + 58?", "What is 47 + 36?", "What does depart mean?", "What does dog mean?",
                "Tell me a fortune.", "Hello!", "Who are you?"]


def pct(x):
    return f"{100 * x:.1f}%"


def engine_chats(model_dir):
    """Greedy replies from the C++ engine's CLI, if it is built."""
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    cli = next((p for p in (os.path.join(root, d, "app/rgemma/rgemma") for d in ("build", "build-cli"))
                if os.path.exists(p)), None)
    if not cli:
        return None
    lines = []
    for p in CHAT_PROMPTS:
        r = subprocess.run([cli, "generate", "--model", model_dir, "--prompt", p, "--chat", "--greedy",
                            "--max-tokens", "80"], capture_output=True, text=True, timeout=120)
        lines.append(f"> **{p}**\n>\n> {r.stdout.strip()}\n")
    return "\n".join(lines)


def main(work, model_dir):
    ev = json.load(open(os.path.join(work, "eval.json")))
    log = open(os.path.join(work, "train.log")).read()
    steps = re.findall(r"trained (\d+) steps in ([\d.]+) min", log)[-1]
    params = re.search(r"params ([\d,]+)", log).group(1)
    final = re.findall(r"step +\d+ loss ([\d.]+)", log)[-1]
    cfg = common.MODEL_CONFIG
    size = os.path.getsize(os.path.join(model_dir, "model.safetensors"))
    h, t = ev["heldout"], ev["train_sample"]
    a, d, f, ab = h["addition"], h["definition"], h["fortune"], h["about"]
    chats = engine_chats(model_dir)
    check_path = os.path.join(work, "engine_check.txt")
    engine_check = open(check_path).read().strip() if os.path.exists(check_path) else "(not run)"
    n = {}
    for split in ("train", "heldout"):
        n[split] = {}
        for ex in common.read_jsonl(os.path.join(work, "data", f"{split}.jsonl")):
            n[split][ex["kind"]] = n[split].get(ex["kind"], 0) + 1
    card = f"""# Recurrent Chat demo model

A **tiny demo**: a {params}-parameter model with exactly the RecurrentGemma (Griffin) architecture, trained by
this project in about {float(steps[1]):.0f} minutes on a 2-core CPU so that the app has something to talk to out
of the box. It adds two-digit numbers reliably, recites fortunes, answers greetings, and answers "What does X
mean?" in the right form but usually with the wrong content (see Limitations). It is not a general assistant: for real answers, download the RecurrentGemma weights
(`google/recurrentgemma-2b-it` or `-9b-it` from Hugging Face) and open that folder in the app or pass
`--model DIR` to `rgemma`.

## Files

| file | content |
|---|---|
| `config.json` | Hugging Face `RecurrentGemmaConfig` (`block_types` R R A) |
| `model.safetensors` | F32 weights, HF tensor names, tied embedding (no `lm_head`), {size / 1e6:.1f} MB |
| `tokenizer.model` | SentencePiece BPE, {cfg["vocab_size"]} pieces, Gemma special-token layout |
| `LICENSES.md` | licenses of the training data |

## Architecture

| | |
|---|---|
| width `D` / `lru_width` | {cfg["hidden_size"]} / {cfg["lru_width"]} |
| layers | {cfg["num_hidden_layers"]}: R R A R R A |
| heads (attention and RG-LRU gate blocks) | {cfg["num_attention_heads"]}, head_dim {cfg["head_dim"]}, 1 KV head |
| MLP branch width | {cfg["intermediate_size"] // 2} (`intermediate_size` {cfg["intermediate_size"]}) |
| attention window | {cfg["attention_window_size"]} (each query sees itself + {cfg["attention_window_size"]} previous) |
| vocabulary | {cfg["vocab_size"]} (`<pad>`=0 `<eos>`=1 `<bos>`=2 `<unk>`=3 `<start_of_turn>`=4 `<end_of_turn>`=5, 256 byte-fallback pieces, digits split) |
| logits soft cap, embed scale | 30, bf16(sqrt({cfg["hidden_size"]})) |
| parameters | {params} (tied embedding counted once) |

The training code (`tools/demo_model/griffin.py`) is the official function: `check_golden.py` matches the
prefill logits of every golden case in `tests/data/` within 1e-3 before training starts. On the exported
folder, `check_engine.py` compares the C++ engine with it: {engine_check}

## Training

Command (from the repository root; everything, fixed seeds, one torch thread):

```
tools/demo_model/build.sh
```

Steps: `make_data.py` (conversations) → `train_tokenizer.sh` (spm_train) → `check_golden.py` → `train.py` →
`export.py` → `evaluate.py` → `model_card.py`. Intermediate files go to `/tmp/demo-model-work`.
This run: {steps[0]} steps of 32 single-turn conversations (each batch one kind plus one "about" row), AdamW
(lr 3e-3, warm-up 100, cosine to 5%, weight decay 0.01 on matrices, clip 1.0), loss on reply tokens only,
{steps[1]} min of training on a 2-core machine shared with other work; final smoothed training loss {final}.
The run was planned as 3600 steps and was stopped by its 38-minute time guard at step 3281 (learning rate then at
7% of peak); `build.sh` therefore runs `train.py --steps 3281 --schedule-steps 3600`, which replays exactly that
run (same seeds, same batches, same schedule). Bit-for-bit equality needs the same torch (Debian 1.13, one
thread) and BLAS (OpenBLAS serial); `--max-minutes 48` would cut a much slower machine's run short.

## Data recipe

Every example is one Gemma chat turn: `<bos><start_of_turn>user\\n{{question}}<end_of_turn>\\n<start_of_turn>model\\n{{reply}}<end_of_turn>`.

| kind | source | question | reply | train / held out |
|---|---|---|---|---|
| definition | WordNet 3.0 (`wordnet-base`): single lowercase words with ≥ 2 sense-tagged uses, first sense of the POS with most tagged uses, gloss without examples | "What does X mean?" and 5 paraphrases | `As a noun, "x" means <gloss>.` | {n["train"]["definition"]} / {n["heldout"]["definition"]} words |
| fortune | `fortunes-min` and `fortunes` (fortune-mod): fortunes, literature, wisdom, people, science, education, work, humorists; 20–140 ASCII characters | "Tell me a fortune." and 5 paraphrases | the fortune | {n["train"]["fortune"]} / {n["heldout"]["fortune"]} fortunes |
| addition | generated: all pairs 10..99 | "What is A + B?" and 4 paraphrases | `A + B = S.` | {n["train"]["addition"]} / {n["heldout"]["addition"]} pairs |
| about | written for this model | greetings, "Who are you?", "What can you do?" | fixed replies | {n["train"]["about"]} / {n["heldout"]["about"]} questions |

## Evaluation (held out, greedy, `evaluate.py`)

Loss = mean cross-entropy (nats/token) over reply tokens including `<end_of_turn>`, teacher-forced.
Held-out loss over all reply tokens: **{ev["heldout_loss_all"]:.3f}**.

| kind | n | loss | results |
|---|---|---|---|
| addition | {a["n"]} | {a["loss"]:.3f} | exact reply {pct(a["exact"])}, correct sum {pct(a["answer_correct"])} |
| definition (unseen words) | {d["n"]} | {d["loss"]:.3f} | format {pct(d["format"])}, POS as WordNet {pct(d["pos_correct"])}, gloss content-word recall {pct(d["content_recall"])} (≥ 50%: {pct(d["recall50"])}) |
| fortune (unseen fortunes) | {f["n"]} | {f["loss"]:.3f} | well formed {pct(f["well_formed"])}, reply is a training fortune {pct(f["verbatim_train"])} |
| about (unseen paraphrases) | {ab["n"]} | {ab["loss"]:.3f} | exact reply {pct(ab["exact"])} |

For comparison, on 50 training examples per kind: addition exact {pct(t["addition"]["exact"])}; definition
content-word recall {pct(t["definition"]["content_recall"])} (loss {t["definition"]["loss"]:.3f}); fortune loss
{t["fortune"]["loss"]:.3f}. Definitions of unseen words cannot be known from the word alone: the held-out
definition numbers measure the format and a guess (suffixes give the POS); the recall on training words
measures how much of WordNet the model memorised. "Content words" are gloss words of ≥ 3 letters minus a short
stop list; a reply "contains" one if the same lowercase word appears in it.

## Example chats (C++ engine, `rgemma generate --model resources/demo-model --prompt ... --chat --greedy`)

{chats or "(rgemma was not built when this card was written)"}

## Limitations

* Definitions are weak. For words it was trained on it names the asked word {pct(t["definition"]["format"])} of the
  time but recalls only {pct(t["definition"]["content_recall"])} of the gloss's content words; for words it never
  saw (e.g. "dog", whose WordNet gloss was too long for the data filter) it usually misspells or replaces the word
  (format {pct(d["format"])}) and invents a gloss. A 3.5M-parameter model cannot store 4,470 glosses in 38 minutes
  of CPU training.
* Fortunes are recited from the training set (greedy decoding gives one fixed fortune per question wording);
  sampling gives variety, and mangled ones.
* Trained on single turns only; later turns of a conversation work through the same format but were not
  evaluated. Contexts longer than ~100 tokens were never seen in training.

## Sources and licenses

See `LICENSES.md`. WordNet 3.0 © 2006 Princeton University (WordNet 3.0 license, notice reproduced there);
fortune files from fortune-mod (Debian `fortunes-min`, `fortunes`; BSD license per Debian's copyright file).
The model weights and this card are part of Recurrent Chat.
"""
    with open(os.path.join(model_dir, "MODEL_CARD.md"), "w") as fh:
        fh.write(card)
    print("wrote", os.path.join(model_dir, "MODEL_CARD.md"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
