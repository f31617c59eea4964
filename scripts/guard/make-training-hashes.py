"""Writes Sources/CustosGuard/Resources/jailbreak_training_texts.sha256: the SHA-256 (hex, of the UTF-8 text with
surrounding whitespace stripped) of every prompt the committed jailbreak head was trained on (jailbreak_dev.jsonl and
scripts/guard/jailbreak_extra.jsonl), one per line, sorted. `custos redteam` leaves out probes built from these texts,
so the guard is never measured on its own training data.
Usage: python3 scripts/guard/make-training-hashes.py
"""
import hashlib
import json

hashes = set()
for path in ["Tests/Fixtures/guard/jailbreak_dev.jsonl", "scripts/guard/jailbreak_extra.jsonl"]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                text = json.loads(line)["text"].strip()
                hashes.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
with open("Sources/CustosGuard/Resources/jailbreak_training_texts.sha256", "w") as f:
    f.write("\n".join(sorted(hashes)) + "\n")
print(len(hashes), "hashes")
