"""Export formats: Markdown + front matter, HTML, ninjs 3.1, NITF 3.6, the registry, and the seed story.

ninjs and NITF are validated against the industry schemas in ../shared/schemas (skipped with a reason
where that folder is absent, e.g. a user's clone).
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.formats import FORMATS, UnknownFormatError, export, extension
from newsroom_tui.formats.html import export_html
from newsroom_tui.formats.markdown import escape_markdown, export_markdown, yaml_string
from newsroom_tui.formats.ninjs import export_ninjs
from newsroom_tui.formats.nitf import NAMESPACE, export_nitf
from newsroom_tui.formats.wire import export_wire, parse_wire, parse_wire_file
from newsroom_tui.text.slugs import slug_from_headline

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DHAKA = ZoneInfo("Asia/Dhaka")
CREATED = datetime(2024, 4, 26, 6, 20, tzinfo=UTC)
N = f"{{{NAMESPACE}}}"


def english(**changes: Any) -> Story:
    values: dict[str, Any] = {
        "id": "0123456789abcdef0123456789abcdef",
        "headline": 'Toll: "cut" <b>bold</b> & [bold] <script>alert(1)</script>',
        "slug": "toll-cut",
        "summary": "Tolls fall <i>10%</i> & [red]more[/red].",
        "byline": "Staff <Correspondent>",
        "source": "risingbd.com",
        "dateline": "Dhaka",
        "body": "First *paragraph* with <b>raw</b> & [bold] text.\nA second line.\n\n"
                "Second paragraph: <script>alert('x')</script> [link](javascript:alert(1)) [ok](https://ok.example/a?b=1&c=2)",
        "credit": "AFP",
        "sign_off": "Dhaka/Shamera/AI",
        "desk": "National",
        "tags": ["bridge", "<toll> & fees"],
        "language": "en",
        "status": Status.PUBLISHED,
        "urgency": 3,
        "ednote": "Check figures <b>before</b> 6pm",
        "created_at": CREATED,
        "updated_at": CREATED + timedelta(minutes=45),
        "published_at": CREATED + timedelta(minutes=40),
        "version": 4,
    }  # fmt: skip
    values.update(changes)
    return Story(**values)


def bangla(**changes: Any) -> Story:
    values: dict[str, Any] = {
        "headline": 'পদ্মা সেতু: "টোল" <b>কমল</b> & [bold]',
        "slug": "padma-setu-tol-komol",
        "summary": "টোল কমেছে।",
        "byline": "নিজস্ব প্রতিবেদক",
        "dateline": "ঢাকা",
        "body": "পদ্মা সেতুর টোল <b>কমানো</b> হয়েছে & [bold]।\n\nদ্বিতীয় অনুচ্ছেদ।",
        "credit": "বাসস",
        "sign_off": "ঢাকা/শামেরা/এআই",
        "desk": "জাতীয়",
        "tags": ["সেতু"],
        "language": "bn",
    }
    values.update(changes)
    return english(**values)


STORIES = {"en": english, "bn": bangla}


# -- validators -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ninjs_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency ([test] extra)")
    schema_path = SCHEMAS / "ninjs-schema_3.1.json"
    if not schema_path.exists():
        pytest.skip(f"the ninjs schema is not here ({schema_path}): ../shared/schemas is absent")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def nitf_schema() -> Any:
    etree = pytest.importorskip("lxml.etree", reason="lxml is a test dependency ([test] extra)")
    schema_path = SCHEMAS / "nitf-3-6.xsd"
    if not schema_path.exists():
        pytest.skip(f"the NITF schema is not here ({schema_path}): ../shared/schemas is absent")
    return etree.XMLSchema(etree.parse(str(schema_path)))


def assert_valid_ninjs(validator: Any, text: str) -> dict[str, Any]:
    item = json.loads(text)
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    for key in ("firstCreated", "versionCreated", "contentCreated", "embargoedUntil"):
        if key in item:
            assert datetime.fromisoformat(item[key]).tzinfo is not None, key
    return item


def assert_valid_nitf(schema: Any, text: str) -> ET.Element:
    from lxml import etree

    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), schema.error_log.filter_from_errors()
    return ET.fromstring(text.encode("utf-8"))


class StrictHTML(HTMLParser):
    """Checks that tags nest and close, and collects what a test looks at."""

    VOID = {"meta", "link", "br", "hr", "img", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.VOID, f"<{tag} /> is not a void element"
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text[self.stack[-1]] = self.text.get(self.stack[-1], "") + data


def parse_html(text: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


# -- Markdown -------------------------------------------------------------------------------------------
def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a test dependency) reads the front matter back")
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


@pytest.mark.parametrize("language", ["en", "bn"])
def test_markdown_front_matter_round_trips_through_yaml(language):
    story = STORIES[language]()
    meta, _ = split_front_matter(export_markdown(story, zone=DHAKA))
    assert meta["title"] == story.headline
    assert meta["summary"] == story.summary
    assert meta["slug"] == story.slug and meta["tags"] == story.tags and meta["categories"] == [story.desk]
    assert meta["author"] == story.byline and meta["credit"] == story.credit
    assert meta["date"] == story.published_at and meta["lastmod"] == story.updated_at
    assert meta["draft"] is False and meta["language"] == language and meta["urgency"] == 3
    assert "publishDate" not in meta and "correction" not in meta


def test_markdown_body_shows_html_looking_text_as_typed():
    markdown_it = pytest.importorskip("markdown_it")
    _, body = split_front_matter(export_markdown(english(), zone=DHAKA))
    # A generator that passes raw HTML through (Jekyll's kramdown) must still show `<b>` as text.
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).render(body)
    assert "<b>" not in rendered and "<script>" not in rendered and "javascript:" not in rendered.split("[link]")[0]
    assert 'href="javascript' not in rendered and '<a href="https://ok.example/a?b=1&amp;c=2">ok</a>' in rendered
    assert "&lt;b&gt;raw&lt;/b&gt; &amp; [bold]" in rendered and "<em>paragraph</em>" in rendered
    assert rendered.rstrip().endswith("<p>Dhaka/Shamera/AI</p>") and "<em>AFP</em>" in rendered


@pytest.mark.parametrize(
    "value",
    ["a: b", 'say "hi"', "# not a comment", "- not a list", "yes", "null", "1e3", "x\\y", "\u0085\u2028\u2029",
     "tab\there", "পদ্মা: সেতু", "😀 emoji", "'single'", "{flow}", "[seq]", "&anchor", "*alias", "!tag", "%dir",
     "@at", "`tick`", "\ufeffbom", "\x00\x1b\x7f\x9b", "\ufffe\uffff"],
)  # fmt: skip
def test_yaml_strings_read_back_exactly(value):
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(f"k: {yaml_string(value)}") == {"k": value}


def test_markdown_marks_a_story_that_is_not_live_as_a_draft_and_keeps_the_embargo():
    meta, _ = split_front_matter(
        export_markdown(english(status=Status.EDITED, embargo_until=CREATED + timedelta(days=1)), zone=DHAKA)
    )
    assert meta["draft"] is True and meta["publishDate"] == CREATED + timedelta(days=1)
    meta, _ = split_front_matter(export_markdown(english(correction_note="Fixed: the toll"), zone=DHAKA))
    assert meta["correction"] == "Fixed: the toll"


def test_escape_markdown_keeps_plain_text_plain():
    assert escape_markdown("1. AFP") == "1\\. AFP"
    assert escape_markdown("- [x] <b> & _y_") == "\\- \\[x\\] \\<b\\> \\& \\_y\\_"


# -- HTML -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "bn"])
def test_html_is_a_standalone_page_with_every_user_text_escaped(language):
    story = STORIES[language]()
    page = export_html(story, zone=DHAKA, site_name="Portal <News>")
    parsed = parse_html(page)
    assert page.startswith("<!doctype html>\n") and parsed.doctype.lower() == "doctype html"
    tags = [tag for tag, _ in parsed.tags]
    assert tags[:3] == ["html", "head", "meta"] and ("html", {"lang": language}) in parsed.tags
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    assert "script" not in tags and "b" not in tags and "i" not in tags
    assert tags.count("article") == 1 and tags.count("h1") == 1
    assert parsed.text["h1"] == story.headline
    assert parsed.text["title"] == f"{story.headline} | Portal <News>"
    times = [datetime.fromisoformat(str(attrs["datetime"])) for tag, attrs in parsed.tags if tag == "time"]
    assert times == [story.published_at, story.updated_at]
    labels = ("প্রকাশিত:", "আপডেট:") if language == "bn" else ("Published:", "Updated:")
    assert f'{labels[0]} <time class="published"' in page and f'{labels[1]} <time class="updated"' in page
    assert "<script" not in page
    assert language == "bn" or "&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page


def test_html_body_renders_light_markdown_but_not_dangerous_links():
    page = export_html(english(), zone=DHAKA)
    parsed = parse_html(page)
    hrefs = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs == ["https://ok.example/a?b=1&c=2"]
    assert "<em>paragraph</em>" in page and "<br />\nA second line." in page
    assert '<p class="credit">AFP</p>' in page and '<p class="sign-off">Dhaka/Shamera/AI</p>' in page


def test_html_stamps_leave_out_an_update_within_the_minute():
    page = export_html(english(updated_at=CREATED + timedelta(minutes=40, seconds=30)), zone=DHAKA)
    assert page.count("<time ") == 1
    assert '<p class="stamps"><span class="dateline">Dhaka</span> Published: <time class="published"' in page


def test_html_shows_a_correction_and_hides_a_story_that_is_not_live_from_search_engines():
    page = export_html(english(status=Status.CORRECTED, correction_note="The toll is 10%, not <20%>."), zone=DHAKA)
    assert "The toll is 10%, not &lt;20%&gt;." in page and 'name="robots"' not in page
    assert 'name="robots" content="noindex"' in export_html(english(status=Status.KILLED), zone=DHAKA)


# -- ninjs ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "bn"])
def test_ninjs_is_valid_and_carries_the_story(ninjs_validator, language):
    story = STORIES[language](embargo_until=CREATED + timedelta(hours=1))
    item = assert_valid_ninjs(ninjs_validator, export_ninjs(story, zone=DHAKA, ednote=True))
    assert item["uri"] == f"urn:newsroom:{story.id}" and item["type"] == "text" and item["version"] == "4"
    assert item["versionCreated"] == "2024-04-26T13:05:00+06:00" and item["firstCreated"] == "2024-04-26T12:20:00+06:00"
    assert item["embargoedUntil"] == "2024-04-26T13:20:00+06:00"
    assert item["pubStatus"] == "usable" and item["urgency"] == 3 and item["language"] == language
    assert item["headlines"] == [{"role": "main", "contentType": "text/plain", "value": story.headline}]
    assert item["descriptions"][0]["value"] == story.summary
    assert item["slugline"] == story.slug and item["by"] == story.byline and item["located"] == story.dateline
    html_body, plain_body = item["bodies"]
    assert html_body["contentType"] == "text/html" and "&lt;b&gt;" in html_body["value"]
    assert plain_body["contentType"] == "text/plain" and plain_body["value"] == story.body
    assert plain_body["wordCount"] == story.word_count and plain_body["charCount"] == len(story.body)
    assert [s["name"] for s in item["subjects"]] == [story.desk, *story.tags]
    assert item["edNote"] == story.ednote


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.PUBLISHED, "usable"), (Status.CORRECTED, "usable"), (Status.KILLED, "canceled"),
     (Status.UNPUBLISHED, "withheld"), (Status.DRAFT, "withheld"), (Status.SCHEDULED, "withheld"),
     (Status.SPIKED, "withheld")],
)  # fmt: skip
def test_ninjs_pub_status_follows_the_story_status(ninjs_validator, status, expected):
    item = assert_valid_ninjs(ninjs_validator, export_ninjs(english(status=status), zone=DHAKA))
    assert item["pubStatus"] == expected


def test_ninjs_of_a_bare_story_is_valid(ninjs_validator):
    story = Story(created_at=CREATED, updated_at=CREATED)
    item = assert_valid_ninjs(ninjs_validator, export_ninjs(story, zone=DHAKA))
    assert "by" not in item and "descriptions" not in item and "subjects" not in item


_text = st.text(max_size=40)
_moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
_stories = st.builds(
    Story,
    headline=_text, body=st.text(max_size=200), slug=_text, summary=_text, byline=_text, source=_text,
    dateline=_text, credit=_text, sign_off=_text, desk=_text, tags=st.lists(_text, max_size=3),
    language=st.sampled_from(["en", "bn", "xx"]), status=st.sampled_from(list(Status)),
    urgency=st.integers(-5, 15), ednote=_text, correction_note=_text,
    created_at=_moments, updated_at=_moments, published_at=st.none() | _moments, embargo_until=st.none() | _moments,
    version=st.integers(0, 10**6),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=_stories)
def test_every_ninjs_export_validates(ninjs_validator, story):
    assert_valid_ninjs(ninjs_validator, export_ninjs(story, zone=DHAKA))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=_stories)
def test_every_nitf_export_validates(nitf_schema, story):
    assert_valid_nitf(nitf_schema, export_nitf(story, zone=DHAKA))


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_any_front_matter_string_reads_back(value):
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(f"k: {yaml_string(value)}") == {"k": value}


def test_the_editors_note_reaches_partners_only_when_the_desk_sends_it(tmp_path):
    """The form says "for the desk, never published"; ninjs and NITF agree unless `[export] send_ednote`."""
    from newsroom_tui.domain.config import ConfigError, Settings
    from newsroom_tui.formats import export

    story = english()
    assert story.ednote
    quiet = Settings(db_path=tmp_path / "n.json")
    assert "edNote" not in json.loads(export(story, "ninjs", quiet))
    assert "ed-msg" not in export(story, "nitf", quiet) and story.ednote not in export(story, "nitf", quiet)
    sending = Settings(db_path=tmp_path / "n.json", sections={"export": {"send_ednote": True}})
    assert json.loads(export(story, "ninjs", sending))["edNote"] == story.ednote
    assert "ed-msg" in export(story, "nitf", sending)
    with pytest.raises(ConfigError, match=r"\[export\] send_ednote must be true or false"):
        export(story, "ninjs", Settings(db_path=tmp_path / "n.json", sections={"export": {"send_ednote": "yes"}}))


def test_a_draft_carries_no_publication_stamp_in_any_format(nitf_schema):
    """Exports of a never-published draft carried `<time class="published">` and a NITF date.issue
    while the preview said "not yet published"."""
    story = english(published_at=None, status=Status.DRAFT)
    page = export_html(story, zone=DHAKA)
    assert 'class="published"' not in page and "Not yet published" in page and 'class="updated"' in page
    root = assert_valid_nitf(nitf_schema, export_nitf(story, zone=DHAKA))
    assert root.find(f"{N}head/{N}docdata/{N}date.issue") is None
    assert root.find(f"{N}body/{N}body.head/{N}dateline/{N}story.date") is None
    assert root.findtext(f"{N}body/{N}body.head/{N}dateline/{N}location") == story.dateline


# -- NITF -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "bn"])
def test_nitf_is_valid_and_carries_the_story(nitf_schema, language):
    story = STORIES[language](embargo_until=CREATED + timedelta(hours=1))
    root = assert_valid_nitf(nitf_schema, export_nitf(story, zone=DHAKA, ednote=True))
    assert root.tag == f"{N}nitf" and root.get("version") == "-//IPTC//DTD NITF 3.6//EN"
    assert root.findtext(f"{N}head/{N}title") == story.headline
    docdata = root.find(f"{N}head/{N}docdata")
    assert docdata is not None and docdata.get("management-status") == "usable"
    assert docdata.find(f"{N}doc-id").get("id-string") == f"urn:newsroom:{story.id}"  # type: ignore[union-attr]
    assert docdata.find(f"{N}urgency").get("ed-urg") == "3"  # type: ignore[union-attr]
    assert docdata.find(f"{N}date.issue").get("norm") == "20240426T130000+0600"  # type: ignore[union-attr]
    assert docdata.find(f"{N}ed-msg").get("info") == story.ednote  # type: ignore[union-attr]
    head = root.find(f"{N}body/{N}body.head")
    assert head is not None
    assert head.findtext(f"{N}hedline/{N}hl1") == story.headline
    assert head.findtext(f"{N}byline") == story.byline
    assert head.findtext(f"{N}dateline/{N}location") == story.dateline
    assert head.findtext(f"{N}abstract/{N}p") == story.summary
    paragraphs = root.findall(f"{N}body/{N}body.content/{N}p")
    assert len(paragraphs) == 2 and paragraphs[0].get("lede") == "true"
    first = "".join(paragraphs[0].itertext())
    assert "<b>" in first and "& [bold]" in first
    assert root.findtext(f"{N}body/{N}body.end/{N}tagline") == f"{story.credit} · {story.sign_off}"


def test_nitf_inline_markup_and_safe_links(nitf_schema):
    root = assert_valid_nitf(nitf_schema, export_nitf(english(), zone=DHAKA))
    first, second = root.findall(f"{N}body/{N}body.content/{N}p")
    assert first.find(f"{N}em") is not None and first.find(f"{N}br") is not None
    assert [a.get("href") for a in second.findall(f"{N}a")] == ["https://ok.example/a?b=1&c=2"]
    assert "[link](javascript:alert(1))" in "".join(second.itertext())


def test_nitf_kill_and_correction(nitf_schema):
    root = assert_valid_nitf(nitf_schema, export_nitf(english(status=Status.KILLED), zone=DHAKA))
    assert root.find(f"{N}head/{N}docdata").get("management-status") == "canceled"  # type: ignore[union-attr]
    corrected = english(status=Status.CORRECTED, correction_sequence=1, correction_note="Fixed <the> toll")
    root = assert_valid_nitf(nitf_schema, export_nitf(corrected, zone=DHAKA))
    assert root.find(f"{N}head/{N}docdata/{N}correction").get("info") == "Fixed <the> toll"  # type: ignore[union-attr]


def test_nitf_survives_text_xml_cannot_hold(nitf_schema):
    story = english(headline="a\x00b\x07c\ufffe", body="x\x0by\ud800z", ednote="", summary="", tags=[])
    root = assert_valid_nitf(nitf_schema, export_nitf(story, zone=DHAKA))
    assert root.findtext(f"{N}head/{N}title") == "abc"


def test_nitf_of_a_bare_story_is_valid(nitf_schema):
    assert_valid_nitf(nitf_schema, export_nitf(Story(created_at=CREATED, updated_at=CREATED), zone=DHAKA))


# -- the registry ---------------------------------------------------------------------------------------
def test_registry_names_extensions_and_export(tmp_path):
    assert list(FORMATS) == ["wire", "markdown", "html", "ninjs", "nitf"]
    assert [extension(name) for name in FORMATS] == ["txt", "md", "html", "json", "xml"]
    settings_ = Settings(db_path=tmp_path / "s.json")
    story = bangla()
    when = datetime(2024, 4, 26, 9, 0, tzinfo=DHAKA)
    wire = export(story, "wire", settings_, now=when)
    assert wire == export_wire(story, masthead=settings_.masthead_bn, edition_city="ঢাকা", zone=DHAKA, edition_date=when)
    assert wire.startswith(settings_.masthead_bn)
    assert export(story, "ninjs", settings_) == export_ninjs(story, zone=DHAKA)
    assert f"| {settings_.masthead_bn}</title>" in export(story, "html", settings_)
    assert export(story, "markdown", settings_) == export_markdown(story, zone=DHAKA)
    assert export(story, "nitf", settings_) == export_nitf(story, zone=DHAKA)
    with pytest.raises(UnknownFormatError, match="no export format 'pdf'; the formats are wire, markdown"):
        export(story, "pdf", settings_)


# -- the seed story -------------------------------------------------------------------------------------
def seed_stories() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.fixture(params=seed_stories() or [None], ids=lambda p: p.name if p else "no-seeds")
def seed(request: pytest.FixtureRequest) -> Story:
    if request.param is None:
        pytest.skip(f"no seed stories in {SEEDS}: ../shared/seeds is absent")
    story = parse_wire_file(request.param, zone=DHAKA)
    return story.copy(slug=slug_from_headline(story.headline), status=Status.PUBLISHED)


def test_seed_validates_as_ninjs_and_nitf(seed, ninjs_validator, nitf_schema):
    item = assert_valid_ninjs(ninjs_validator, export_ninjs(seed, zone=DHAKA))
    assert item["headlines"][0]["value"] == seed.headline and item["by"] == seed.byline
    root = assert_valid_nitf(nitf_schema, export_nitf(seed, zone=DHAKA))
    assert len(root.findall(f"{N}body/{N}body.content/{N}p")) == len(seed.paragraphs)


def test_seed_round_trips_through_wire(seed):
    text = export_wire(seed, masthead="Risingbd Online Bangla News Portal", edition_city="Dhaka", zone=DHAKA)
    back = parse_wire(text, zone=DHAKA)
    for name in ("headline", "byline", "source", "credit", "sign_off", "language", "created_at"):
        assert getattr(back, name) == getattr(seed, name), name
    assert back.paragraphs == [" ".join(p.split("\n")) for p in seed.paragraphs]


def test_seed_markdown_and_html(seed):
    meta, _ = split_front_matter(export_markdown(seed, zone=DHAKA))
    assert meta["title"] == seed.headline and meta["credit"] == seed.credit
    parsed = parse_html(export_html(seed, zone=DHAKA))
    assert parsed.text["h1"] == seed.headline


def test_the_preview_shows_the_correction_note_and_a_drafts_stamp():
    """The HTML page had the correction note; the preview (and the wire text) did not."""
    from rich.console import Console

    from newsroom_tui.tui.render import render_article

    def shown(story: Story) -> str:
        console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
        console.print(render_article(story, masthead="M", edition_city="Dhaka", zone=DHAKA))
        return console.export_text()

    corrected = english(status=Status.CORRECTED, correction_note="An earlier version gave the wrong toll.")
    text = shown(corrected)
    assert "Correction: An earlier version gave the wrong toll." in text
    assert text.index("Published:") < text.index("Correction:") < text.index("First")
    draft = shown(english(published_at=None, status=Status.DRAFT, correction_note=""))
    assert "Not yet published" in draft and "Published:" not in draft and "Correction" not in draft
    bangla_text = shown(bangla(correction_note="আগের সংস্করণে ভুল ছিল।"))
    assert "সংশোধনী: আগের সংস্করণে ভুল ছিল।" in bangla_text
