"""HELPDESK_CLASSIFIER_MODEL: a model folder for the embedded classifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.settings import SettingsError, load_settings


def test_the_setting_names_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    settings = load_settings(environ={"HELPDESK_CLASSIFIER_MODEL": str(folder)}, env_file=None)
    assert settings.classifier_model == str(folder.resolve())
    assert load_settings(environ={}, env_file=None).classifier_model is None


def test_a_missing_folder_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ={"HELPDESK_CLASSIFIER_MODEL": str(tmp_path / "x")}, env_file=None)
    assert str(raised.value) == f"HELPDESK_CLASSIFIER_MODEL: no model folder at {tmp_path / 'x'}"
