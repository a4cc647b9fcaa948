"""Writes the demo model's held-out conversations as one chat-formatted text, for `rgemma compare --text`.

usage: heldout_text.py HELDOUT_JSONL OUT_TXT [--per-kind N]
Each conversation is one Gemma turn pair as the model was trained on it (common.chat_prompt, the reply, then
<end_of_turn>), a paragraph of its own: conversations are separated by a blank line, so that
`rgemma compare --text FILE --paragraphs` feeds each from a fresh state, as the model was trained; kinds are interleaved (one of each in turn, in make_data.py's order) so that
any window of the text mixes them. --per-kind N keeps the first N of each kind (a small sample for tests).
HELDOUT_JSONL is make_data.py's heldout.jsonl (default work folder: /tmp/demo-model-work/data/heldout.jsonl).
"""
import argparse
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("heldout")
    parser.add_argument("out")
    parser.add_argument("--per-kind", type=int, default=None)
    args = parser.parse_args()
    by_kind = {}
    for ex in common.read_jsonl(args.heldout):
        by_kind.setdefault(ex["kind"], []).append(ex)
    if args.per_kind is not None:
        by_kind = {k: rows[: args.per_kind] for k, rows in by_kind.items()}
    conversations = [common.chat_prompt(ex["user"]) + ex["model"] + "<end_of_turn>\n"
                     for group in itertools.zip_longest(*by_kind.values()) for ex in group if ex is not None]
    with open(args.out, "w") as f:
        f.write("\n".join(conversations))
    print(args.out, {k: len(v) for k, v in by_kind.items()})


if __name__ == "__main__":
    main()
