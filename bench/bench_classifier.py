"""How long the embedded model takes to classify one ticket.

Run: python bench/bench_classifier.py
Prints the median and 95th percentile over the shipped data set's tickets, and, as the
session's baseline, the time of a plain `fold()` of the same texts (ratios travel across
machines better than absolute times on shared 2-core hosts).
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from helpdesk.adapters.classifier.embedded import load_embedded_classifier
from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.domain.arabic import fold


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def timings(fn, texts: list[str], rounds: int = 3) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            out.append(time.perf_counter() - start)
    return out


def main() -> None:
    start = time.perf_counter()
    classifier = load_embedded_classifier(Clock())
    load_ms = (time.perf_counter() - start) * 1000
    texts = [f"{r['title']}\n{r['description']}" for r in load_dataset()]
    now = datetime.now(UTC)
    classify = timings(lambda t: classifier.classify_now(t, now), texts)
    baseline = timings(fold, texts)
    med, base = statistics.median(classify), statistics.median(baseline)
    p95 = statistics.quantiles(classify, n=20)[-1]
    print(f"model load: {load_ms:.1f} ms")
    print(
        f"classify one ticket: median {med * 1e3:.3f} ms, p95 {p95 * 1e3:.3f} ms ({len(classify)} calls)"
    )
    print(f"baseline fold(): median {base * 1e3:.4f} ms; classify / fold = {med / base:.1f}x")


if __name__ == "__main__":
    main()
