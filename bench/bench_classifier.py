"""How long the embedded model takes to load and to classify one ticket.

Run: python bench/bench_classifier.py [--model DIR]
Prints the model load time (the folder read and its dictionaries built), the median and 95th
percentile of one classification over the shipped data set's tickets (text already prepared,
as the use cases hand it over), the time of the text preparation itself, and, as the
session's baseline, a plain `fold()` of the same texts (ratios travel across machines better
than absolute times on shared 2-core hosts).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from helpdesk.adapters.classifier.embedded import load_embedded_classifier
from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.domain.arabic import fold
from helpdesk.domain.text_preparation import classification_text


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped one)")
    args = parser.parse_args()
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        classifier = load_embedded_classifier(Clock(), args.model)
        loads.append(time.perf_counter() - start)
    rows = load_dataset()
    raw = [(r["title"], r["description"]) for r in rows]
    start = time.perf_counter()
    texts = [classification_text(t, d) for t, d in raw]
    prepare_ms = (time.perf_counter() - start) / len(raw) * 1e3
    now = datetime.now(UTC)
    classify = timings(lambda t: classifier.classify_now(t, now), texts)
    baseline = timings(fold, texts)
    med, base = statistics.median(classify), statistics.median(baseline)
    p95 = statistics.quantiles(classify, n=20)[-1]
    print(
        f"model load: median {statistics.median(loads) * 1e3:.1f} ms "
        f"(first {loads[0] * 1e3:.1f} ms, {len(loads)} loads)"
    )
    print(
        f"classify one ticket: median {med * 1e3:.3f} ms, p95 {p95 * 1e3:.3f} ms "
        f"({len(classify)} calls)"
    )
    print(f"text preparation: mean {prepare_ms:.3f} ms a ticket ({len(raw)} tickets)")
    print(f"baseline fold(): median {base * 1e3:.4f} ms; classify / fold = {med / base:.1f}x")


if __name__ == "__main__":
    main()
