"""The evaluation report: macro-F1 over the categories in the data, thresholds, calibration."""

from __future__ import annotations

import numpy as np

from helpdesk.adapters.classifier.embedded.evaluation import report_of
from helpdesk.domain.taxonomy import CATEGORIES, Category

C = Category


def one_hot(predicted: list[Category], confidence: list[float]) -> np.ndarray:
    out = np.zeros((len(predicted), len(CATEGORIES)))
    for row, (category, p) in enumerate(zip(predicted, confidence, strict=True)):
        out[row] = (1 - p) / (len(CATEGORIES) - 1)
        out[row, CATEGORIES.index(category)] = p
    return out


def test_macro_f1_averages_over_the_categories_present_in_the_data() -> None:
    truth = [C.PRINTING, C.PRINTING, C.HR, C.HR]
    report = report_of(one_hot(truth, [0.9] * 4), CATEGORIES, truth)
    # Ten labels in the model, two in the data: perfect answers are a macro-F1 of 1, not 0.2.
    assert report.macro_f1 == 1.0
    assert report.present == (C.PRINTING, C.HR)
    assert set(report.f1) == {"printing", "hr"}


def test_a_category_predicted_but_absent_from_the_data_costs_precision_not_the_average() -> None:
    truth = [C.PRINTING, C.PRINTING, C.HR, C.HR]
    predicted = [C.PRINTING, C.OTHER, C.HR, C.HR]
    report = report_of(one_hot(predicted, [0.9, 0.6, 0.95, 0.7]), CATEGORIES, truth)
    assert report.recall["printing"] == 0.5
    assert report.precision["printing"] == 1.0
    assert abs(report.macro_f1 - (2 / 3 + 1.0) / 2) < 1e-9
    assert report.columns == (C.PRINTING, C.HR, C.OTHER)
    assert report.confusion == [[1, 0, 1], [0, 2, 0]]


def test_coverage_and_precision_at_each_threshold() -> None:
    truth = [C.NETWORK, C.NETWORK, C.EMAIL, C.EMAIL]
    predicted = [C.NETWORK, C.EMAIL, C.EMAIL, C.EMAIL]
    report = report_of(one_hot(predicted, [0.95, 0.85, 0.6, 0.5]), CATEGORIES, truth)
    assert report.at[0.90] == (0.25, 1.0)
    assert report.at[0.80] == (0.5, 0.5)
    assert report.at[0.55] == (0.75, 2 / 3)
    assert report.accuracy == 0.75
