#!/usr/bin/env python3
"""Python peer of `custos-bench pii`: Microsoft Presidio 2.2.366's AnalyzerEngine over the texts of a JSONL file.

Usage: .venv-pii/bin/python scripts/peers/pii.py TEXTS.jsonl [--runs 3] [--spans OUT.jsonl]

No spaCy model can be installed here (models come from a model hub, not the package index), so the NLP engine is
spaCy's blank English pipeline (tokenizer only): Presidio's pattern recognizers and their context enhancement run
exactly as with a model; the NER-based PERSON/LOCATION/DATE_TIME recognizer finds nothing, as in the shared
reference scores. Every text is analyzed once per run (language "en", default threshold, all entities). Prints
{"seconds": median wall time of one pass inside Python, "texts": N, "bytes": UTF-8 bytes}. Interpreter start,
imports and engine construction are excluded. With --spans, writes one line of spans per text (for checking).
Make the venv with scripts/bench-setup-pii.
"""
import argparse
import json
import statistics
import time


def engine():
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyEngine(SpacyNlpEngine):
        """SpacyNlpEngine with spacy.blank('en') instead of a downloaded model."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self):
            self.nlp = {"en": spacy.blank("en")}

    nlp = BlankSpacyEngine()
    nlp.load()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("texts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spans")
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in open(args.texts, encoding="utf-8") if line.strip()]
    analyzer = engine()
    analyzer.analyze(text=texts[0], language="en")  # warm caches
    times = []
    results = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        results = [analyzer.analyze(text=t, language="en") for t in texts]
        times.append(time.perf_counter() - start)
    if args.spans:
        with open(args.spans, "w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps([[x.start, x.end, x.entity_type, x.score] for x in r]) + "\n")
    print(json.dumps({"seconds": statistics.median(times), "texts": len(texts),
                      "bytes": sum(len(t.encode("utf-8")) for t in texts)}))


if __name__ == "__main__":
    main()
