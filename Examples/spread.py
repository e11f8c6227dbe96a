#!/usr/bin/env python3
"""Spread the corpus's real OTLP data over several days, for llmscope's examples.

The corpus (spans emitted by real, unmodified instrumentation libraries: OTel openai-v2,
OpenInference for OpenAI and LangChain) was recorded within minutes. This script moves each
whole trace to a new start time over the DAYS days before END, keeping every offset inside a
trace (span starts, ends and event times move together), so that charts and period
comparisons have shape. Nothing else is changed: ids, attributes, resources and scopes are as
the libraries wrote them.

Usage: python3 Examples/spread.py [CORPUS_DIR] [OUT_DIR]
  CORPUS_DIR defaults to Tests/LLMScopeKitTests/Fixtures/corpus (a copy of shared/corpus)
  OUT_DIR defaults to Examples/data; one gzip-compressed OTLP JSON-lines file per dataset.
"""
import gzip
import hashlib
import json
import os
import sys

END = 1796256000 * 10**9  # 2026-12-03T00:00:00Z
DAYS = 7
DAY = 86400 * 10**9
DATASETS = [
    "otel-openai-v2",
    "otel-openai-v2-legacy",
    "openinference-openai",
    "openinference-langchain",
    "openinference-langchain-plus-openai",
]


def unit(trace_id: str, salt: str) -> float:
    """A stable number in [0, 1) from a trace id."""
    h = hashlib.sha256((salt + trace_id).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def new_start(trace_id: str) -> int:
    """A start time in the DAYS before END, busier in working hours (UTC 08-20)."""
    day = int(unit(trace_id, "day") * DAYS)
    u = unit(trace_id, "hour")
    hour = 8 + u * 12 if u < 0.8 else (u - 0.8) / 0.2 * 24
    return END - (DAYS - day) * DAY + int(hour * 3600 * 10**9)


def spans_of(request):
    for rs in request.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            yield from ss.get("spans", [])


def shift(span, delta):
    for key in ("startTimeUnixNano", "endTimeUnixNano"):
        span[key] = str(int(span[key]) + delta)
    for event in span.get("events", []):
        event["timeUnixNano"] = str(int(event["timeUnixNano"]) + delta)


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "Tests/LLMScopeKitTests/Fixtures/corpus"
    out = sys.argv[2] if len(sys.argv) > 2 else "Examples/data"
    os.makedirs(out, exist_ok=True)
    for name in DATASETS:
        with open(os.path.join(corpus, name + ".jsonl"), encoding="utf-8") as f:
            requests = [json.loads(line) for line in f if line.strip()]
        # First pass: each trace's earliest start, across every export batch.
        first = {}
        for request in requests:
            for span in spans_of(request):
                t = int(span["startTimeUnixNano"])
                first[span["traceId"]] = min(t, first.get(span["traceId"], t))
        deltas = {trace: new_start(trace) - start for trace, start in first.items()}
        for request in requests:
            for span in spans_of(request):
                shift(span, deltas[span["traceId"]])
        path = os.path.join(out, name + ".jsonl.gz")
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            for request in requests:
                f.write((json.dumps(request, ensure_ascii=True, separators=(",", ":")) + "\n").encode())
        print(f"{path}: {sum(1 for r in requests for _ in spans_of(r))} spans, {len(first)} traces")


if __name__ == "__main__":
    main()
