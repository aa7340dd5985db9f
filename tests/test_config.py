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


# Issue 11, item 16: wrong types crashed much later (or made the desk spin); each is one sentence now.
@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('headline_limit = "x"', "headline_limit"),
        ("headline_limit = 0", "headline_limit"),
        ("summary_limit = true", "summary_limit"),
        ("timezone = 5", "timezone"),
        ("desks = 5", "desks"),
        ("desks = [5]", "desks"),
        ("desks = []", "desks"),
        ("masthead_en = 5", "masthead_en"),
        ('masthead_bn = "\\u001b]0;PWNED\\u0007"', "masthead_bn"),
        ("autosave_seconds = -1", "autosave_seconds"),
        ("autosave_seconds = nan", "autosave_seconds"),
        ("autosave_seconds = inf", "autosave_seconds"),
        ("cursor_blink = 'yes'", "cursor_blink"),
        ("db_path = 5", "db_path"),
        ("[recovery]\nfolder = 5", "[recovery] folder"),
        ("[recovery]\nfolders = '/tmp'", "'folders' in [recovery]"),
        ("[locks]\nexpiry_minutes = 'ten'", "[locks] expiry_minutes"),
        ("[locks]\nexpiry_minutes = -3", "[locks] expiry_minutes"),
        ("newsroom = 5", "[newsroom]"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_sentence_naming_it(tmp_path: Path, content, key):
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config=config)
    message = str(info.value)
    assert key in message and str(config) in message
    assert message.count(".") >= 1 and "\n" not in message and "\x1b" not in message


def test_settings_of_the_right_type_load(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text(
        "autosave_seconds = 2\ncursor_blink = true\n[recovery]\nfolder = '~/drafts'\n[locks]\nexpiry_minutes = 15\n",
        encoding="utf-8",
    )
    settings = load_settings(config=config)
    assert settings.autosave_seconds == 2.0 and settings.cursor_blink is True
