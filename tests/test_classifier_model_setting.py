"""HELPDESK_CLASSIFIER_MODEL: a model folder for the embedded classifier. The setting is a path;
whether a model is there is checked when the model is loaded, at start-up (tests/entrypoints)."""

from __future__ import annotations

from pathlib import Path

from helpdesk.settings import load_settings


def test_the_setting_is_a_folder_path_and_absent_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    settings = load_settings(environ={"HELPDESK_CLASSIFIER_MODEL": str(folder)}, env_file=None)
    assert settings.classifier_model == folder
    assert load_settings(environ={}, env_file=None).classifier_model is None
