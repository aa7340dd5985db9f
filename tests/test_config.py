from pathlib import Path

import pytest

from newsroom_tui.domain.config import ConfigError, load_settings


def test_defaults_put_the_store_in_the_user_data_dir(monkeypatch):
    settings = load_settings()
    assert settings.db_path.name == "newsroom.json"
    assert "newsroom" in str(settings.db_path.parent)
    assert settings.timezone == "Asia/Dhaka"
    assert settings.cursor_blink is False


def test_db_override_order(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_DB", str(tmp_path / "env.json"))
    assert load_settings().db_path == tmp_path / "env.json"
    assert load_settings(db=tmp_path / "flag.json").db_path == tmp_path / "flag.json"


def test_config_file_values(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[newsroom]\ntimezone = "Europe/London"\nheadline_limit = 90\ndesks = ["City", "Sport"]\n'
        '[targets.outbox]\nformats = ["wire"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config=config)
    assert settings.timezone == "Europe/London"
    assert settings.headline_limit == 90
    assert settings.desks == ("City", "Sport")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("timezone = 'Mars/Olympus'", "unknown time zone"),
        ("this is not toml", "not valid TOML"),
        ("colour = 'red'", "unknown setting 'colour'"),
    ],
)
def test_bad_config_is_one_clear_sentence(tmp_path: Path, content, message):
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(config=config)
    assert str(config) in str(info.value)


def test_other_tables_are_kept_for_their_features(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[newsroom]\nheadline_limit = 80\n[copydesk]\nmax_sentence_words = 35\n", encoding="utf-8")
    settings = load_settings(config=config)
    assert settings.headline_limit == 80
    assert settings.sections == {"copydesk": {"max_sentence_words": 35}}
