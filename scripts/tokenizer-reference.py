#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/explain/tokenizer_hf.jsonl: Hugging Face `tokenizers` ids for tricky texts
(scripts, accents, control/format/private-use/unassigned characters, emoji, CJK, fullwidth forms, symbols, long
words), with all-MiniLM-L6-v2's tokenizer.json and sentence-transformers' truncation at 256.

Usage: .venv-bench/bin/python scripts/tokenizer-reference.py MODEL_DIR > Tests/Fixtures/explain/tokenizer_hf.jsonl
(needs `transformers` and `tokenizers` in the venv; the fixture was made with tokenizers 0.23.3.)
"""
import json
import sys

from transformers import AutoTokenizer

TEXTS = [
    "İstanbul straße ΆΈΉ Ωμέγα ǅungla ﬁne",
    "नमस्ते दुनिया हिन्दी",
    "مرحبا بالعالم",
    "こんにちは世界です カタカナ ｶﾀｶﾅ",
    "안녕하세요 세계",
    "👨‍👩‍👧 family ❤️ heart ✓ check ★ star",
    "e\u0301 n\u0303 a\u030a combining",
    "tab\there\u00a0nbsp\u3000ideo\u2028ls \ufeffbom \u200ertl \u2066iso",
    "“quotes” ‘single’ «guillemets» — dash – en … ellipsis",
    "$100 + 5% = €105 ^ ~ ` | < > = £ ¥ © ® ™ ° ± × ÷",
    "１２３ ＡＢＣ fullwidth ！？",
    "x" * 120 + " tail",
    "unaffable antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "Ⅻ ½ ² ∑ ∞ ≠ → ⇒ ∀ ∃",
    "𠀀 𪜀 CJK ext 丽",
    "\u0000nul\u0007bel\u001bescape",
    "a\ud7ffb \U0001F600\U0001F3FD",
    "ÅÄÖ åäö ØÆ øæ Ł ł Đ đ ı",
    "don't can't O'Neil U.S.A. e-mail 3.14 1,000,000",
    "ᄀᄁ ᆨ jamo ㄱ",
    "Ǆ ǆ ﬀ ﬃ Ⓐ ⓐ",
    "ⅰⅱ ｱｲ ﾞﾟ",
    "ß ẞ ς σ Σ",
    "a\u0378b a\ue000b a\uffffb a\U000E0001b a\U0010FFFDb a\u2065b a\U0001D173b a\u0600b a\U0002B739b",
    "🥺 🫠 🧑 🤣 🦄 🙂",
    "word " * 300,
]


def main():
    tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
    for text in TEXTS:
        ids = tokenizer(text, truncation=True, max_length=256)["input_ids"]
        sys.stdout.write(json.dumps({"text": text, "ids": ids}, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
