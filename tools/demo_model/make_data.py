"""Builds the demo model's chat conversations from Debian text packages (deterministic, seed 1234).

Kinds (each with a held-out split that training never sees):
  definition  WordNet 3.0 (wordnet-base): "What does X mean?" -> 'As a noun, "x" means <first-sense gloss>.'
  fortune     fortunes-min / fortunes (fortune-mod): "Tell me a fortune." -> one short fortune
  addition    generated: "What is 23 + 58?" -> "23 + 58 = 81." (all pairs 10..99; 5% of pairs held out)
  about       fixed replies about the model itself (greetings, "who are you?"), paraphrases held out
Writes <out>/{train,heldout}.jsonl (one {"kind", "user", "model"} per line) and <out>/spm_corpus.txt.
"""
import json
import os
import random
import re
import sys

WORDNET = "/usr/share/wordnet"
FORTUNE_DIR = "/usr/share/games/fortunes"
FORTUNE_FILES = ["fortunes", "wisdom", "literature", "people", "science", "education", "work", "humorists"]
POS = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb"}

DEF_QUESTIONS = ["What does {w} mean?", "What is the meaning of {w}?", "Define {w}.",
                 "What does the word \"{w}\" mean?", "Can you define {w}?", "Meaning of {w}?"]
FORTUNE_QUESTIONS = ["Tell me a fortune.", "Give me a quote.", "Say something wise.",
                     "Tell me something interesting.", "Do you have a saying for me?", "Fortune, please."]
ADD_QUESTIONS = ["What is {a} + {b}?", "What is {a} plus {b}?", "{a} + {b} = ?", "Add {a} and {b}.",
                 "Compute {a} + {b}."]
ABOUT = [
    (["Hello!", "Hi!", "Hello", "Hi there!", "Good morning!", "Hey!"],
     "Hello! I am a tiny demo model. Ask me what a word means, for a fortune, or to add two numbers."),
    (["Who are you?", "What are you?", "Tell me about yourself.", "Are you a real RecurrentGemma model?"],
     "I am a tiny demo model with the RecurrentGemma architecture, trained by Recurrent Chat on a few "
     "dictionary entries, fortunes and sums. For real answers, open the RecurrentGemma weights from Hugging Face."),
    (["What can you do?", "Help", "How do I use you?", "What should I ask you?"],
     "I can tell you what a common English word means, give you a fortune, or add two numbers below 100."),
    (["Thank you!", "Thanks!", "Thanks a lot."], "You are welcome!"),
    (["Goodbye!", "Bye!", "See you later."], "Goodbye! Have a nice day."),
]
ABOUT_HELDOUT = {"Hi there!", "Are you a real RecurrentGemma model?", "What should I ask you?", "Thanks a lot.",
                 "See you later."}


def clean_gloss(g):
    g = g.split('; "')[0].split(';"')[0].strip()
    g = re.sub(r"\s+", " ", g).strip(" ;:")
    return g


def wordnet_entries():
    """(lemma, pos, gloss) for single common words: the first (most frequent) sense of the POS with the most
    sense-tagged occurrences in SemCor (tagsense_cnt)."""
    best = {}
    for pos in POS:
        with open(f"{WORDNET}/data.{pos}", encoding="latin-1") as f:
            data = {}
            for line in f:
                if line.startswith("  "):
                    continue
                off, gloss = line.split(" ", 1)[0], line.split(" | ", 1)[1]
                data[off] = clean_gloss(gloss)
        with open(f"{WORDNET}/index.{pos}", encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma, p_cnt = parts[0], int(parts[3])
                tagged = int(parts[5 + p_cnt])
                first = parts[6 + p_cnt]
                if not re.fullmatch(r"[a-z]{3,14}", lemma) or tagged < 2:
                    continue
                gloss = data[first]
                if not (8 <= len(gloss) <= 110) or not gloss.isascii():
                    continue
                if lemma not in best or tagged > best[lemma][0]:
                    best[lemma] = (tagged, POS[pos], gloss)
    return sorted((w, p, g) for w, (_, p, g) in best.items())


def fortunes():
    out = set()
    for name in FORTUNE_FILES:
        path = f"{FORTUNE_DIR}/{name}"
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for chunk in f.read().split("\n%\n"):
                text = re.sub(r"\s+", " ", chunk.replace("\t", " ")).strip()
                if 20 <= len(text) <= 140 and text.isascii() and "http" not in text:
                    out.add(text)
    return sorted(out)


def main(out_dir):
    rng = random.Random(1234)
    os.makedirs(out_dir, exist_ok=True)
    train, held = [], []

    words = wordnet_entries()
    rng.shuffle(words)
    n_held = 200
    for i, (w, pos, gloss) in enumerate(words):
        ans = f'As {"an" if pos[0] in "aeiou" else "a"} {pos}, "{w}" means {gloss}.'
        q = rng.choice(DEF_QUESTIONS).format(w=w)
        (held if i < n_held else train).append({"kind": "definition", "user": q, "model": ans, "word": w,
                                                "gloss": gloss})

    fs = fortunes()
    rng.shuffle(fs)
    for i, text in enumerate(fs):
        (held if i < 100 else train).append({"kind": "fortune", "user": rng.choice(FORTUNE_QUESTIONS),
                                             "model": text})

    pairs = [(a, b) for a in range(10, 100) for b in range(10, 100)]
    rng.shuffle(pairs)
    for i, (a, b) in enumerate(pairs):
        ex = {"kind": "addition", "user": rng.choice(ADD_QUESTIONS).format(a=a, b=b),
              "model": f"{a} + {b} = {a + b}.", "answer": str(a + b)}
        (held if i < 400 else train).append(ex)

    for questions, reply in ABOUT:
        for q in questions:
            (held if q in ABOUT_HELDOUT else train).append({"kind": "about", "user": q, "model": reply})

    for name, rows in (("train", train), ("heldout", held)):
        with open(f"{out_dir}/{name}.jsonl", "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    # Tokenizer corpus: every training turn plus the chat scaffolding words.
    with open(f"{out_dir}/spm_corpus.txt", "w") as f:
        for r in train:
            f.write(r["user"] + "\n" + r["model"] + "\n")
            f.write("user\nmodel\n")
    kinds = {}
    for r in train:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print("train:", len(train), kinds, "heldout:", len(held))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/demo-model-work/data")
