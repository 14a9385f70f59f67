"""How confident the model is on text it should not be sure about.

Run: python bench/unfamiliar_text.py

Trains the product model on the shipped data set twice — as shipped, and without the norm
floor (`norm_floor_quantile=0`) — each calibrated on three issue-grouped folds, and prints for
each:
- common words alone: the words that appear in tickets of three or more categories, each
  classified as a one-word ticket; the highest confidence and the share reaching 0.55 / 0.80;
- text unlike any ticket (general questions, a poem, made-up words) and boilerplate alone
  (greetings, sign-offs, request templates): the highest confidence over each list, and for
  the shipped settings each text's top category and confidence (a general question going to
  `other` is that category doing its job).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from helpdesk.adapters.classifier.embedded import training
from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.adapters.classifier.embedded.features import words
from helpdesk.domain.text_preparation import classification_text

UNRELATED = (
    "ما هي عاصمة فرنسا وكم عدد سكانها",
    "قصيدة جميلة عن البحر والقمر في ليلة صيفية",
    "زخرف قنطش ملبوص طرنفك دحمس",
    "كم سعر الذهب اليوم في السوق",
    "أريد تغيير لون السيارة إلى الأزرق",
    "من فاز بمباراة كرة القدم أمس",
)
BOILERPLATE = (
    "السلام عليكم ورحمة الله وبركاته",
    "تحية طيبة وبعد",
    "وتقبلوا فائق الاحترام والتقدير",
    "يرجى التكرم بالاطلاع واتخاذ اللازم",
    "طلب عاجل",
    "مشكلة",
    "Best regards",
    "Please advise",
)


def main() -> None:
    rows = load_dataset()
    labels = [r["category"] for r in rows]
    folds = training.fold_of_groups(training.group_keys(rows), labels, 3)  # type: ignore[arg-type]
    categories: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for w in set(words(classification_text(r["title"], r["description"]))):
            categories[w].add(r["category"])
    common = sorted(w for w, c in categories.items() if len(c) >= 3)
    for name, settings in (
        ("as shipped", training.Settings()),
        ("without the norm floor", training.Settings(norm_floor_quantile=0.0)),
    ):
        model = training.fit_model(rows, settings, folds=folds).model
        alone = np.array([model.probabilities(w).max() for w in common])
        unrelated = max(model.probabilities(t).max() for t in UNRELATED)
        boilerplate = max(model.probabilities(t).max() for t in BOILERPLATE)
        if name == "as shipped":
            for text in UNRELATED + BOILERPLATE:
                p = model.probabilities(text)
                print(f"  {text:40} {model.labels[int(p.argmax())]!s:16} {p.max():.2f}")
        print(
            f"{name:24} common words alone ({len(common)}): max {alone.max():.2f}, "
            f"≥0.55 {(alone >= 0.55).mean():.1%}, ≥0.80 {(alone >= 0.80).mean():.1%}; "
            f"unrelated text max {unrelated:.2f}; boilerplate max {boilerplate:.2f}"
        )


if __name__ == "__main__":
    main()
