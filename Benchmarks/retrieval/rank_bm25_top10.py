"""The outside reference for `jina-bench retrieval`: rank-bm25's BM25Okapi over the corpus, the ids
of its top 10 for each question, one JSON array per line.
Usage: python rank_bm25_top10.py CORPUS.jsonl QUESTIONS.jsonl  (needs rank-bm25==0.2.2)"""
import json, re, sys
from rank_bm25 import BM25Okapi

corpus = [json.loads(line) for line in open(sys.argv[1])]
questions = [json.loads(line) for line in open(sys.argv[2])]
words = lambda text: re.findall(r"\w+", text.lower())
bm25 = BM25Okapi([words(d["text"]) for d in corpus])
for q in questions:
    top = bm25.get_top_n(words(q["text"]), list(range(len(corpus))), n=10)
    print(json.dumps([corpus[i]["id"] for i in top]))
