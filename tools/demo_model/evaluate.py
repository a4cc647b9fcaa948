"""Evaluates the exported demo model on the held-out conversations (and a sample of training ones, to show
memorisation) and writes the numbers as JSON.

usage: evaluate.py MODEL_DIR WORK_DIR OUT_JSON
Metrics, per kind (greedy decoding in the torch port, which check_golden.py ties to the reference):
  loss        mean cross-entropy (nats) over reply tokens incl. <end_of_turn>, teacher-forced
  well_formed reply ends with <end_of_turn> within the token limit
  addition    exact: reply == "A + B = S." ; answer_correct: the number after "=" is the sum
  definition  format: reply is 'As a(n) <pos>, "<word>" means ...' for the asked word; pos_correct: the WordNet
              POS used for the answer; content_recall: share of the gloss's content words (>= 3 letters, not
              stop words) that appear in the reply, averaged; recall50: share of replies with recall >= 0.5
  fortune     verbatim_train: reply is exactly a training fortune (the model recites, it cannot invent
              held-out fortunes); the loss is the held-out measure
  about       exact: the reply equals the canned reply for that question's intent
"""
import json
import os
import re
import sys

import torch
import torch.nn.functional as F
import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import griffin  # noqa: E402

STOP = set("the and for with that this from into onto are was were has have had not but its who whom which "
           "what when where than then there their them they you your our his her him she all any can may "
           "being been one ones such some more most very also used using make made".split())
MAX_NEW = {"addition": 16, "definition": 64, "fortune": 72, "about": 64}


def content_words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3 and w not in STOP}


@torch.no_grad()
def greedy(model, sp, prompts, max_new):
    """Batched greedy decoding; prompts in one call have the same length (positions start at 0 in every row)."""
    ids = torch.tensor(prompts)
    eot = sp.piece_to_id("<end_of_turn>")
    out = [[] for _ in prompts]
    done = [False] * len(prompts)
    for _ in range(max_new):
        nxt = model(ids)[:, -1].argmax(-1)
        for i, t in enumerate(nxt.tolist()):
            if not done[i]:
                if t in (eot, 1):
                    done[i] = True
                else:
                    out[i].append(t)
        if all(done):
            break
        ids = torch.cat([ids, nxt[:, None]], dim=1)
    return [(sp.decode(o), d) for o, d in zip(out, done)]


@torch.no_grad()
def reply_loss(model, sp, rows):
    total, count = 0.0, 0
    for ex in rows:
        p, r = common.encode_example(sp, ex)
        logits = model(torch.tensor([p + r]))[0, len(p) - 1 : len(p) + len(r) - 1]
        total += F.cross_entropy(logits, torch.tensor(r), reduction="sum").item()
        count += len(r)
    return total / count


def generate_all(model, sp, rows):
    by_len = {}
    for i, ex in enumerate(rows):
        p, _ = common.encode_example(sp, ex)
        by_len.setdefault(len(p), []).append((i, p))
    replies = [None] * len(rows)
    for group in by_len.values():
        for s in range(0, len(group), 64):
            chunk = group[s : s + 64]
            kind = rows[chunk[0][0]]["kind"]
            for (i, _), rep in zip(chunk, greedy(model, sp, [p for _, p in chunk], MAX_NEW[kind])):
                replies[i] = rep
    return replies


def score(kind, rows, replies, train_fortunes):
    res = {"n": len(rows), "well_formed": sum(d for _, d in replies) / len(rows)}
    if kind == "addition":
        res["exact"] = sum(r == ex["model"] for ex, (r, _) in zip(rows, replies)) / len(rows)
        res["answer_correct"] = sum(r.split("=")[-1].strip().rstrip(".") == ex["answer"]
                                    for ex, (r, _) in zip(rows, replies)) / len(rows)
    elif kind == "definition":
        fmt = pos_ok = rec50 = 0
        recall = 0.0
        for ex, (r, _) in zip(rows, replies):
            m = re.match(r'As an? (noun|verb|adjective|adverb), "([a-z]+)" means (.+)\.$', r)
            fmt += bool(m and m.group(2) == ex["word"])
            pos_ok += bool(m and ex["model"].startswith(f"As a {m.group(1)}," if m.group(1)[0] not in "aeiou"
                                                        else f"As an {m.group(1)},"))
            want = content_words(ex["gloss"])
            rc = len(want & content_words(m.group(3) if m else r)) / max(1, len(want))
            recall += rc
            rec50 += rc >= 0.5
        res.update(format=fmt / len(rows), pos_correct=pos_ok / len(rows), content_recall=recall / len(rows),
                   recall50=rec50 / len(rows))
    elif kind == "fortune":
        res["verbatim_train"] = sum(r in train_fortunes for r, _ in replies) / len(rows)
    elif kind == "about":
        res["exact"] = sum(r == ex["model"] for ex, (r, _) in zip(rows, replies)) / len(rows)
    return res


def main(model_dir, work, out_json):
    torch.set_num_threads(1)
    model = griffin.load_model(model_dir).eval()
    sp = spm.SentencePieceProcessor(model_file=os.path.join(model_dir, "tokenizer.model"))
    held = common.read_jsonl(os.path.join(work, "data", "heldout.jsonl"))
    train = common.read_jsonl(os.path.join(work, "data", "train.jsonl"))
    train_fortunes = {ex["model"] for ex in train if ex["kind"] == "fortune"}
    results = {"heldout": {}, "train_sample": {}}
    for split, rows_all in (("heldout", held), ("train_sample", train)):
        for kind in ("addition", "definition", "fortune", "about"):
            rows = [ex for ex in rows_all if ex["kind"] == kind]
            if split == "train_sample":
                rows = rows[:: max(1, len(rows) // 50)][:50]  # deterministic sample of training rows
            replies = generate_all(model, sp, rows)
            res = score(kind, rows, replies, train_fortunes)
            res["loss"] = reply_loss(model, sp, rows)
            res["examples"] = [{"user": ex["user"], "reply": r} for ex, (r, _) in list(zip(rows, replies))[:3]]
            results[split][kind] = res
            print(split, kind, {k: (round(v, 4) if isinstance(v, float) else v)
                                for k, v in res.items() if k != "examples"}, flush=True)
    rows = held
    n = sum(len(common.encode_example(sp, ex)[1]) for ex in rows)
    results["heldout_loss_all"] = sum(results["heldout"][k]["loss"] *
                                      sum(len(common.encode_example(sp, ex)[1]) for ex in rows if ex["kind"] == k)
                                      for k in results["heldout"]) / n
    print("heldout loss (all reply tokens):", round(results["heldout_loss_all"], 4))
    with open(out_json, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
