"""Trains the demo model (fixed seeds, one thread) and saves an f32 state_dict checkpoint.

usage: train.py WORK_DIR [--steps N]   (reads WORK_DIR/data/train.jsonl and WORK_DIR/tok.model)
"""
import argparse
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F
import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import griffin  # noqa: E402

# Share of each batch per kind: arithmetic needs many repetitions, "about" is tiny and repeated.
# Each batch holds one kind (similar lengths, little padding); "about" rows ride along in every batch.
MIX = {"addition": 0.45, "definition": 0.33, "fortune": 0.22}


def batches(rng, by_kind, batch_size):
    kinds, weights = zip(*MIX.items())
    while True:
        kind = rng.choices(kinds, weights)[0]
        rows = [rng.choice(by_kind[kind]) for _ in range(batch_size - 1)] + [rng.choice(by_kind["about"])]
        T = max(len(p) + len(r) for p, r in rows)
        ids = torch.zeros(batch_size, T, dtype=torch.long)
        target = torch.full((batch_size, T), -100, dtype=torch.long)
        for i, (p, r) in enumerate(rows):
            seq = p + r
            ids[i, : len(seq)] = torch.tensor(seq)
            # predict reply tokens only: position j predicts token j + 1
            target[i, len(p) - 1 : len(seq) - 1] = torch.tensor(r)
        yield ids, target


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("--steps", type=int, default=3600)
    ap.add_argument("--schedule-steps", type=int, default=0,
                    help="length of the lr schedule if it differs from --steps (reproduces a run cut short)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop early (not reproducible) if > 0")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)
    rng = random.Random(0)
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.work, "tok.model"))
    by_kind = {}
    for ex in common.read_jsonl(os.path.join(args.work, "data", "train.jsonl")):
        by_kind.setdefault(ex["kind"], []).append(common.encode_example(sp, ex))

    cfg = griffin.Config(common.MODEL_CONFIG)
    model = griffin.Griffin(cfg)
    model.init_weights(seed=0)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"params {n_params:,}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-9)
    warmup = 100

    def lr_at(step):
        if step < warmup:
            return args.lr * (step + 1) / warmup
        frac = (step - warmup) / max(1, (args.schedule_steps or args.steps) - warmup)
        return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))

    start = time.time()
    avg = None
    data = batches(rng, by_kind, args.batch)
    for step in range(args.steps):
        ids, target = next(data)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        hidden = model.hidden(ids)
        keep = target >= 0  # logits only where there is a target (the reply): saves the prompt's share
        logits = model.logits(hidden[keep])
        loss = F.cross_entropy(logits, target[keep])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        if step % 50 == 0 or step == args.steps - 1:
            el = time.time() - start
            print(f"step {step:5d} loss {avg:.4f} lr {lr_at(step):.2e} {el / 60:.1f} min", flush=True)
        if step % 500 == 499:  # so an interrupted run can still be exported
            torch.save(model.state_dict(), os.path.join(args.work, "model.pt"))
        if args.max_minutes and time.time() - start > args.max_minutes * 60:
            print(f"stopped early at step {step} (--max-minutes {args.max_minutes})", flush=True)
            break
    torch.save(model.state_dict(), os.path.join(args.work, "model.pt"))
    print(f"trained {step + 1} steps in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
