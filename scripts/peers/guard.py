#!/usr/bin/env python3
"""Python peer of `custos-bench guard`: alt-profanity-check's predict_prob on the same texts.

Usage: .venv-bench/bin/python scripts/peers/guard.py TEXTS.jsonl [--runs 5] [--check OUT.json]

TEXTS.jsonl has one {"text": ...} per line. Prints one JSON object: "seconds" (median wall time of one
predict_prob call over all texts; imports and model loading excluded), "runs", "texts", "version".
With --check, also writes the probabilities as a JSON list.
"""
import argparse
import json
import statistics
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("texts")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check")
    args = parser.parse_args()

    from importlib.metadata import version
    from profanity_check import predict_prob

    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    predict_prob(texts[:10])  # warm-up
    times = []
    probs = None
    for _ in range(args.runs):
        start = time.perf_counter()
        probs = predict_prob(texts)
        times.append(time.perf_counter() - start)
    if args.check:
        with open(args.check, "w") as f:
            json.dump([float(p) for p in probs], f)
    print(json.dumps({"seconds": statistics.median(times), "runs": args.runs, "texts": len(texts),
                      "version": version("alt-profanity-check")}))


if __name__ == "__main__":
    main()
