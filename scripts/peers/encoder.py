#!/usr/bin/env python3
"""Python peer of `custos-bench encoder`: all-MiniLM-L6-v2 sentence embeddings with PyTorch, the way
sentence-transformers computes them (tokenizers' fast BERT tokenizer, truncation at 256 tokens, padding to
the longest text in the batch, BertModel forward, mean pooling over the attention mask, L2 normalization).

Usage: .venv-bench/bin/python scripts/peers/encoder.py MODEL_DIR SENTENCES.txt [--runs 5] [--threads 2]
       [--batch-size 32] [--check OUT.jsonl]

Prints one JSON object: "seconds" (median wall time of one pass over all sentences, tokenization through
normalization; imports and model loading excluded), "runs", "sentences", "threads", "torch".
With --check, also writes the embeddings as JSON lines ({"index", "tokens", "embedding"}) for comparison.
"""
import argparse
import json
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("sentences")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--check")
    args = parser.parse_args()

    import torch
    from transformers import AutoTokenizer, BertModel

    torch.set_num_threads(args.threads)
    with open(args.sentences, encoding="utf-8") as f:
        sentences = [line.rstrip("\n") for line in f]
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = BertModel.from_pretrained(args.model, add_pooling_layer=False).eval()

    def embed():
        out = []
        ids = []
        with torch.inference_mode():
            for start in range(0, len(sentences), args.batch_size):
                batch = sentences[start:start + args.batch_size]
                enc = tokenizer(batch, padding=True, truncation=True, max_length=256, return_tensors="pt")
                hidden = model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, p=2, dim=1))
                ids += [row[row_mask.bool()].tolist() for row, row_mask in zip(enc["input_ids"], enc["attention_mask"])]
        return torch.cat(out), ids

    embed()  # warm-up
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        vectors, ids = embed()
        times.append(time.perf_counter() - start)
    if args.check:
        with open(args.check, "w") as f:
            for i, (row, tokens) in enumerate(zip(vectors.tolist(), ids)):
                f.write(json.dumps({"index": i, "tokens": tokens, "embedding": row}) + "\n")
    json.dump({"seconds": statistics.median(times), "runs": args.runs, "sentences": len(sentences),
               "threads": args.threads, "torch": torch.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
