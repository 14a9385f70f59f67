"""The composed training data: issues, the ways people phrase them, and writing styles."""
