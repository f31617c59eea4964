#!/usr/bin/env python3
"""Writes Tests/Fixtures/guard/banned_words_eval.jsonl: an evaluation set for the banned_words scanner.

Positives mention one of the banned terms of Tests/Fixtures/guard/banned_words_policy.yaml (project code names);
negatives use near-misses (the terms' parts, similar words). Written for this project; deterministic.
Usage: python3 scripts/guard/make-banned-words-eval.py > Tests/Fixtures/guard/banned_words_eval.jsonl
"""
import json
import random

rng = random.Random(7)
TERMS = ["nightingale", "wolfsbane", "blackbriar", "orchid protocol", "treadstone"]
NEAR = ["night shift", "wolf pack", "blackberry", "orchid", "protocol", "tread", "stone wall", "gale warning",
        "black briar rose", "nightly build"]
FRAMES = ["Can you tell me more about {}?", "The status report mentions {} twice.", "Please summarize the {} memo for the board.",
          "Who approved the budget for {} last quarter?", "I heard {} is being cancelled, is that true?",
          "Write a short email to the team about {}.", "What is the deadline for {}?", "Explain {} to a new colleague."]
rows = []
for frame in FRAMES:
    for term in TERMS:
        rows.append({"text": frame.format(term), "label": 1})
    for term in rng.sample(NEAR, 5):
        rows.append({"text": frame.format(term), "label": 0})
for row in rows:
    print(json.dumps(row))
