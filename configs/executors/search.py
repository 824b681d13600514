"""Small, dependency-free executors for the example search Flows (Jina's Executor API)."""
import hashlib
import math

from jina import Executor, DocumentArray, requests


class SentenceSegmenter(Executor):
    """Splits each document's text into sentence chunks."""

    def __init__(self, min_length: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.min_length = min_length

    @requests(on=['/index', '/search'])
    def segment(self, docs, **kwargs):
        for doc in docs:
            for sentence in doc.text.replace('!', '.').replace('?', '.').split('.'):
                sentence = sentence.strip()
                if len(sentence) >= self.min_length:
                    doc.chunks.append({'text': sentence})


class HashEncoder(Executor):
    """Feature-hashes words into an L2-normalised vector of `dim` floats."""

    def __init__(self, dim: int = 64, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    @requests(on=['/index', '/search'])
    def encode(self, docs, **kwargs):
        for doc in docs:
            vector = [0.0] * self.dim
            for word in doc.text.lower().split():
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                vector[bucket] += 1.0
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            doc.embedding = [v / norm for v in vector]


class MemoryIndexer(Executor):
    """Keeps indexed documents in memory and answers /search by cosine similarity."""

    def __init__(self, top_k: int = 5, **kwargs):
        super().__init__(**kwargs)
        self.top_k = top_k
        self.indexed = DocumentArray()

    @requests(on='/index')
    def index(self, docs, **kwargs):
        self.indexed.extend(docs)

    @requests(on='/search')
    def search(self, docs, parameters, **kwargs):
        top_k = int(parameters.get('top_k', self.top_k))
        for query in docs:
            scored = []
            for doc in self.indexed:
                score = sum(a * b for a, b in zip(query.embedding, doc.embedding))
                scored.append((score, doc))
            scored.sort(key=lambda pair: -pair[0])
            for score, doc in scored[:top_k]:
                match = {'id': doc.id, 'text': doc.text, 'scores': {'cosine': {'value': score}}}
                query.matches.append(match)


class MatchMerger(Executor):
    """Merges the matches of sharded indexers (uses_after) into one top-k per query."""

    def __init__(self, top_k: int = 5, **kwargs):
        super().__init__(**kwargs)
        self.top_k = top_k

    @requests(on='/search')
    def merge(self, docs_matrix, **kwargs):
        merged = DocumentArray()
        by_id = {}
        for shard_docs in docs_matrix:
            for query in shard_docs:
                if query.id not in by_id:
                    by_id[query.id] = query
                    merged.append(query)
                else:
                    by_id[query.id].matches.extend(query.matches)
        for query in merged:
            best = sorted(query.matches, key=lambda m: -m.scores['cosine'].value)[:self.top_k]
            query.matches = best
        return merged
