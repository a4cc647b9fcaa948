"""Writes the trained checkpoint as a Hugging Face RecurrentGemma folder: config.json, model.safetensors (F32,
HF tensor names, no lm_head: tied), tokenizer.model.

usage: export.py WORK_DIR OUT_DIR
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import griffin  # noqa: E402


def main(work, out):
    os.makedirs(out, exist_ok=True)
    state = torch.load(os.path.join(work, "model.pt"))
    griffin.save_safetensors(os.path.join(out, "model.safetensors"), state)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(common.MODEL_CONFIG, f, indent=2)
        f.write("\n")
    shutil.copyfile(os.path.join(work, "tok.model"), os.path.join(out, "tokenizer.model"))
    # Round trip: the folder loads into the same function.
    model = griffin.load_model(out)
    for name, t in model.state_dict().items():
        assert torch.equal(t, state[name]), name
    size = sum(os.path.getsize(os.path.join(out, n)) for n in ("config.json", "model.safetensors", "tokenizer.model"))
    print(f"exported {out}: {size / 1e6:.2f} MB, {sum(t.numel() for t in state.values()):,} parameters")
    assert size <= 16 * 1024 * 1024, "demo model must stay under 16 MB"


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
