#!/usr/bin/env python3
"""bench-serve.py — what conversation reuse buys a client of `rgemma serve` (issue 16).

For each history length (tokens of conversation before the new message) it builds a conversation — a long user
message, the server's own reply — then times the first token of the next request, which resends the whole
conversation plus a new user turn of about 20 tokens, streamed: with reuse (a server that kept the state after the
reply) and without (--state-cache-mb 0 --state-disk-mb 0, the same request). Then aggregate decode throughput of 4
concurrent streaming clients beside one. Prints a JSON object; times are seconds on this machine, compare ratios.

  scripts/bench-serve.py --model DIR [--sizes 200,2000,8000] [--off-sizes 200,2000] [--clients 4]
"""
import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

WORDS = ("the of and to in is was for on that with as by at from his her this had not are but be they which one "
         "have you were all their when we there been has more if no out so said what up its about into than them "
         "can only other new some could time these two may then do first any my now such like our over man me even "
         "most made after also did many before must through back years where much your way well down should because "
         "each just those people how too little state good very make world still own see men work long get here "
         "between both life being under never day same another know while last might us great old year off come "
         "since against go came right used take three").split()


def text_of(words, seed):
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


class Server:
    def __init__(self, rgemma, model, reuse, threads, parallel):
        self.folder = tempfile.TemporaryDirectory(prefix="bench-serve-")
        args = [rgemma, "serve", "--model", model, "--port", "0", "--state-dir", self.folder.name,
                "--threads", str(threads), "--parallel", str(parallel)]
        if not reuse:
            args += ["--state-cache-mb", "0", "--state-disk-mb", "0"]
        self.log = open(os.path.join(self.folder.name, "stderr.log"), "w")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"listening on http://[^ ]+:(\d+)", line)
        if not match:
            sys.exit(f"rgemma serve did not start: {line!r}")
        self.port = int(match.group(1))
        while True:
            try:
                if self.request("GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)

    def connect(self):
        # TCP_NODELAY, as Node's and curl's clients set it: else http.client's separate header and body writes
        # wait on the server's delayed acknowledgement, and a long request looks 40 ms slower than it is.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=36000)
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def request(self, method, path, body=None):
        connection = self.connect()
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, json.loads(data) if data else None

    def post(self, path, body):
        status, reply = self.request("POST", path, body)
        if status != 200:
            sys.exit(f"{path}: {status} {reply}")
        return reply

    def stream(self, body):
        """Streams a chat completion: (seconds to the first text, seconds to the end, usage)."""
        connection = self.connect()
        start = time.monotonic()
        connection.request("POST", "/v1/chat/completions",
                           body=json.dumps({**body, "stream": True, "stream_options": {"include_usage": True}}),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        first = None
        usage = None
        for raw in response:
            line = raw.decode().strip()
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk.get("usage"):
                usage = chunk["usage"]
            for choice in chunk["choices"]:
                if first is None and (choice["delta"].get("content") or choice.get("finish_reason")):
                    first = time.monotonic() - start
        end = time.monotonic() - start
        connection.close()
        return first, end, usage

    def close(self):
        self.process.terminate()
        self.process.wait()
        self.log.close()
        self.folder.cleanup()


def user(text):
    return {"role": "user", "content": text}


def tokens_per_word(server):
    reply = server.post("/v1/completions", {"prompt": text_of(400, 1), "max_tokens": 1, "temperature": 0})
    return (reply["usage"]["prompt_tokens"] - 1) / 400


def conversation(size, per_word):
    """The history's user message (the server's reply of 16 tokens and the chat markup make up the rest) and the
    new 20-token user turn."""
    words = max(1, round((size - 16 - 12) / per_word))
    return text_of(words, size), text_of(max(1, round(20 / per_word)), size + 1)


def time_first_tokens(args, sizes, off_sizes):
    rows = []
    on = Server(args.rgemma, args.model, True, args.threads, args.parallel)
    per_word = tokens_per_word(on)
    histories = {}
    built = {}
    for size in sizes:
        history, turn = conversation(size, per_word)
        first = on.post("/v1/chat/completions", {"messages": [user(history)], "max_tokens": 16, "temperature": 0,
                                                 "ignore_eos": True})
        reply = first["choices"][0]["message"]["content"]
        histories[size] = [user(history), {"role": "assistant", "content": reply}, user(turn)]
        built[size] = first["usage"]["prompt_tokens"] + first["usage"]["completion_tokens"]
    # Rounds over every size, then the median per size: the machine is shared and its load drifts over minutes, so
    # the sizes are timed side by side rather than one after another.
    runs = {size: [] for size in sizes}
    for _ in range(args.repeats):
        for size in sizes:
            runs[size].append(on.stream({"messages": histories[size], "max_tokens": 2, "temperature": 0}))
    for size in sizes:
        ordered = sorted(runs[size], key=lambda run: run[0])
        ttft, _, usage = ordered[len(ordered) // 2]
        rows.append({"size": size, "history_tokens": built[size], "prompt_tokens": usage["prompt_tokens"],
                     "reuse": True, "cached_tokens": usage["prompt_tokens_details"]["cached_tokens"],
                     "ttft_s": round(ttft, 4), "ttft_runs_s": [round(run[0], 4) for run in runs[size]]})
        print(json.dumps(rows[-1]), file=sys.stderr)
    on.close()
    off = Server(args.rgemma, args.model, False, args.threads, args.parallel)
    for size in off_sizes:
        ttft, _, usage = off.stream({"messages": histories[size], "max_tokens": 2, "temperature": 0})
        # The same messages; this server never produced the reply, so it re-encodes its text (a few ids may differ).
        on_row = next(r for r in rows if r["size"] == size)
        rows.append({"size": size, "history_tokens": on_row["history_tokens"], "prompt_tokens": usage["prompt_tokens"],
                     "reuse": False, "cached_tokens": usage["prompt_tokens_details"]["cached_tokens"],
                     "ttft_s": round(ttft, 4)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    off.close()
    return rows


def throughput(args):
    server = Server(args.rgemma, args.model, True, args.threads, args.parallel)
    body = {"messages": [user("Tell me a fortune.")], "max_tokens": args.tokens, "temperature": 0,
            "ignore_eos": True}
    server.stream(body)  # warm-up

    def run(clients):
        results = [None] * clients

        def one(i):
            results[i] = server.stream({**body, "seed": i})
        start = time.monotonic()
        threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - start
        tokens = sum(r[2]["completion_tokens"] for r in results)
        return {"clients": clients, "tokens": tokens, "wall_s": round(wall, 3), "tok_s": round(tokens / wall, 3)}

    rows = [run(1), run(args.clients)]
    server.close()
    return rows


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rgemma", default=os.path.join(root, "build/app/rgemma/rgemma"))
    parser.add_argument("--model", default=os.path.join(root, "resources/demo-model"))
    parser.add_argument("--sizes", default="200,2000,8000", help="history lengths, with reuse")
    parser.add_argument("--off-sizes", default=None, help="history lengths without reuse (default: --sizes)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=64, help="tokens per client in the throughput runs")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per size with reuse (the median)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    off_sizes = [int(s) for s in (args.off_sizes if args.off_sizes is not None else args.sizes).split(",") if s]
    result = {"model": os.path.basename(os.path.normpath(args.model)), "first_token": time_first_tokens(args, sizes,
                                                                                                     off_sizes)}
    if not args.no_throughput:
        result["throughput"] = throughput(args)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
