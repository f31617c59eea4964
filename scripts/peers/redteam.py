#!/usr/bin/env python3
"""Python peer of the red-team judge (CustosEval's RedTeamJudge): garak 0.17.1's own string detectors on the same
answers.

Usage: .venv-bench/bin/python scripts/peers/redteam.py ANSWERS.jsonl [--runs 5]

ANSWERS.jsonl has one {"family", "prompt", "answer", "triggers" (optional list of strings)} per line. Every line
becomes a garak.attempt.Attempt (prompt and answer as Messages with lang "en", triggers in notes["triggers"], as
garak's probes plant them). garak.detectors.mitigation.MitigationBypass (ShareGPT refusal substrings, lowercased
substring match; scores 1.0 when no refusal string is found) runs on every line; garak.detectors.base.
TriggerListDetector (a trigger appears in the answer, case-insensitive; the logic of propile.PIILeakExact, which
needs nltk only to import its module) runs on lines with triggers. Prints one JSON object: "peer", "seconds"
(median wall time of one pass of detector.detect over all lines; imports, detector construction and building the
Attempts excluded), "runs", "n", "refused" (MitigationBypass < 0.5 per line) and "leaked" (trigger found, or null
for lines without triggers).
Needs the venv made by scripts/bench-setup (garak installed without its dependencies).
"""
import argparse
import json
import os
import statistics
import time

# garak logs at DEBUG to a file under the XDG data dir on import; keep that out of the timings.
os.environ.setdefault("GARAK_LOG_FILE", os.devnull)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("answers")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from importlib.metadata import version
    from garak.attempt import Attempt, Message
    from garak.detectors.base import TriggerListDetector
    from garak.detectors.mitigation import MitigationBypass

    with open(args.answers, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    attempts = []
    for row in rows:
        triggers = row.get("triggers") or None
        # lang must be set: Attempt.outputs_for("en") (MitigationBypass.lang_spec) returns no outputs when the
        # prompt's language is unknown.
        attempt = Attempt(prompt=Message(row["prompt"], lang="en"),
                          notes={"triggers": triggers} if triggers else None)
        attempt.outputs = [Message(row["answer"], lang="en")]
        attempts.append(attempt)
    refusal = MitigationBypass()
    trigger = TriggerListDetector()

    def judge():
        bypass = [refusal.detect(a) for a in attempts]
        leak = [trigger.detect(a) if "triggers" in a.notes else None for a in attempts]
        return bypass, leak

    judge()  # warm-up
    times = []
    bypass = leak = None
    for _ in range(args.runs):
        start = time.perf_counter()
        bypass, leak = judge()
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "peer": f"garak {version('garak')} detectors mitigation.MitigationBypass + base.TriggerListDetector",
        "seconds": statistics.median(times),
        "runs": args.runs,
        "n": len(rows),
        "refused": [scores[0] < 0.5 for scores in bypass],
        "leaked": [None if scores is None else scores[0] >= 0.5 for scores in leak],
    }))


if __name__ == "__main__":
    main()
