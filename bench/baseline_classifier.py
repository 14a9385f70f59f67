"""The product trainer against a plain baseline, on a simulated organisation's own history.

Run: python bench/baseline_classifier.py

We have no real organisation's tickets, so one is simulated from the composed data set: five
IT categories (network, hardware, software, email, printing); the issues are split in
two — 70% are the organisation's problems, the rest stands in for the shipped data the product
may mix in (so the mix never contains the organisation's own issues). The organisation's
history is ~340 of its tickets, written in some styles, about three quarters of its issues;
the test is its tickets written in the other styles, about all of its issues (so a quarter of
the test is problems the history never had). Two scenarios swap which styles are
history and which are test.

Baseline: scikit-learn TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
sublinear_tf=True, min_df=2) + LogisticRegression(C=10) inside an isotonic
CalibratedClassifierCV, on the raw "title\\ndescription". Product: `training.fit_model` on the
same history, alone and mixed with the other half's tickets of the same categories.
Printed: accuracy, macro-F1, precision and coverage at confidence ≥ 0.80, ECE, training time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from helpdesk.adapters.classifier.embedded import evaluation, training
from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.domain.taxonomy import Category

ORGANISATION = ("network", "hardware", "software", "email", "printing")
HISTORY_SIZE = 340
SCENARIOS = {
    "history from e-mail, terse, typos, mixed; test on MSA, dialects, English": (
        ("email", "terse", "typos", "mixed_english"),
        ("msa", "gulf", "egyptian", "levantine", "english"),
    ),
    "history from MSA, dialects, English; test on e-mail, terse, typos, mixed": (
        ("msa", "gulf", "egyptian", "levantine", "english"),
        ("email", "terse", "typos", "mixed_english"),
    ),
}
Row = dict[str, str]


def split() -> tuple[list[Row], set[str], list[Row]]:
    """(the organisation's tickets, the issues its history has had, the stand-in shipped
    tickets): 70% of the issues are the organisation's, and a quarter of those are problems
    its history has not seen yet."""
    rows = [r for r in load_dataset() if r["category"] in ORGANISATION]
    issues = sorted({r["issue"] for r in rows})
    own = sorted(random.Random(11).sample(issues, len(issues) * 7 // 10))
    seen = set(random.Random(12).sample(own, len(own) * 3 // 4))
    return (
        [r for r in rows if r["issue"] in set(own)],
        seen,
        [r for r in rows if r["issue"] not in set(own)],
    )


def plain(rows: Sequence[Row]) -> list[Row]:
    """As an organisation's export would have them: no style, no issue."""
    return [{k: r[k] for k in ("title", "description", "category")} for r in rows]


def baseline(history: Sequence[Row]) -> CalibratedClassifierCV:
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        LogisticRegression(C=10, max_iter=2000),
    )
    calibrated = CalibratedClassifierCV(model, method="isotonic")
    calibrated.fit(
        [f"{r['title']}\n{r['description']}" for r in history], [r["category"] for r in history]
    )
    return calibrated


def figures(report: evaluation.Report, seconds: float) -> list[str]:
    coverage, precision = report.at[0.80]
    return [
        f"{report.accuracy:.3f}",
        f"{report.macro_f1:.3f}",
        f"{precision:.3f}",
        f"{coverage:.1%}",
        f"{report.ece:.3f}",
        f"{seconds:.1f}",
    ]


def main() -> None:
    own, seen, stand_in = split()
    for scenario, (history_styles, test_styles) in SCENARIOS.items():
        pool = [r for r in own if r["style"] in history_styles and r["issue"] in seen]
        history = plain(random.Random(5).sample(pool, min(HISTORY_SIZE, len(pool))))
        test = plain([r for r in own if r["style"] in test_styles])
        truth = [Category(r["category"]) for r in test]
        results = {}

        start = time.perf_counter()
        base = baseline(history)
        seconds = time.perf_counter() - start
        probabilities = base.predict_proba([f"{r['title']}\n{r['description']}" for r in test])
        labels = [Category(c) for c in base.classes_]
        results["baseline"] = figures(evaluation.report_of(probabilities, labels, truth), seconds)

        for name, rows in (
            ("product, own tickets only", history),
            ("product, mixed with shipped", [*history, *plain(stand_in)]),
        ):
            trained = training.fit_model(rows)
            report = evaluation.evaluate_rows(trained.model, test)
            results[name] = figures(report, trained.seconds)

        print(f"\n{scenario}\nhistory {len(history)} tickets, test {len(test)} tickets")
        header = ["accuracy", "macro-F1", "prec≥0.80", "cov≥0.80", "ECE", "train s"]
        print(f"{'':30}" + "".join(f"{h:>11}" for h in header))
        for name, values in results.items():
            print(f"{name:30}" + "".join(f"{v:>11}" for v in values))


if __name__ == "__main__":
    main()
