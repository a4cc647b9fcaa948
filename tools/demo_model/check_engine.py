"""Checks that the C++ engine computes the same function as the torch port on an exported model folder:
logits of every position of a 100-token sequence (longer than the attention window), fed through
`rgemma logits --all-positions`, within 1e-3 of griffin.py.

usage: check_engine.py MODEL_DIR [RGEMMA_BIN]   (default: build/app/rgemma/rgemma; exit 77 if it is not built)
"""
import json
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griffin  # noqa: E402


def main():
    torch.set_num_threads(1)
    folder = sys.argv[1]
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    cli = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "build", "app", "rgemma", "rgemma")
    if not os.path.exists(cli):
        print(f"SKIP: {cli} is not built")
        return 77
    model = griffin.load_model(folder).eval()
    g = torch.Generator().manual_seed(5)
    ids = [2] + torch.randint(6, model.cfg.vocab_size, (99,), generator=g).tolist()
    out = subprocess.run([cli, "logits", "--model", folder, "--ids", ",".join(map(str, ids)), "--all-positions",
                          "--threads", "1"], capture_output=True, text=True, check=True).stdout
    engine = torch.tensor(json.loads(out))
    with torch.no_grad():
        ref = model(torch.tensor([ids]), exact_scan=True)[0]
    err = (engine - ref).abs().max().item()
    print(f"engine vs torch, 100 positions: max|dlogits| = {err:.2e} ({'OK' if err <= 1e-3 else 'FAIL'})")
    return 0 if err <= 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
