"""Proves griffin.py is the reference function: prefill logits of every golden case in tests/data within 1e-3.

Exit 0 on success, 1 on mismatch, 77 (CTest skip) when torch is not installed.
"""
import json
import os
import sys

try:
    import numpy  # noqa: F401
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed (apt-get install python3-torch python3-numpy)")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griffin  # noqa: E402

TOL = 1e-3


def main():
    torch.set_num_threads(1)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data")
    cases = sorted(d for d in os.listdir(root) if os.path.exists(os.path.join(root, d, "golden.json")))
    ok = bool(cases)
    for case in cases:
        folder = os.path.join(root, case)
        with open(os.path.join(folder, "golden.json")) as f:
            golden = json.load(f)
        model = griffin.load_model(folder).eval()
        ids = torch.tensor([golden["prompt"]["ids"]])
        want = torch.tensor(golden["prefill"]["logits"])
        with torch.no_grad():
            for exact in (True, False):  # sequential scan and the chunked training scan
                got = model(ids, exact_scan=exact)[0]
                err = (got - want).abs().max().item()
                good = err <= TOL
                ok &= good
                print(f"{case:16s} scan={'sequential' if exact else 'chunked':10s} max|dlogits|={err:.2e} "
                      f"{'OK' if good else 'FAIL'}")
    print("golden check:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
