"""The browser front-end (deployments/static), driven by headless Chromium against the live service.

Needs the `base_url` session fixture (tests/conftest.py) and Debian's Chromium at /usr/bin/chromium.
Screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
TEXT = "This are a exampel sentence."
FIXED = "This is an example sentence."
TIMEOUT_MS = 20_000  # a first check may wait on a cold engine

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (apt-get install chromium)")

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as actions: the first check may meet a cold engine


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def open_page(browser, base_url):
    """open_page(**context_options) -> a page on base_url + "/" whose JavaScript errors fail the test."""
    contexts = []
    errors: list[str] = []

    def _open(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        ctx.set_default_timeout(TIMEOUT_MS)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base_url.rstrip("/") + "/")
        expect(page.locator("#editor")).to_be_visible()
        return page

    yield _open
    for ctx in contexts:
        ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def use_rule_engine(page):
    # The offline rule engine answers the same way every time; the model engines may word
    # their fixes differently. Waits until /readyz has been read (the option is labelled then).
    expect(page.locator("#engine-status")).not_to_have_text("Checking engines…")
    page.select_option("#engine", "basic")


def type_text(page, text):
    page.locator("#editor").click()
    page.keyboard.type(text, delay=15)


def wait_until_checked(page):
    """Until no check is scheduled or in flight for the editor's current text."""
    expect(page.locator("#suggestion-list")).to_have_attribute("aria-busy", "false")


def card_for(page, original):
    """The card whose flagged text is exactly `original`."""
    return page.locator(".suggestion-card").filter(has=page.locator(".card-span", has_text=re.compile(rf"^{re.escape(original)}$")))


def fixable_cards(page, categories=("grammar", "spelling")):
    sel = ", ".join(f'.suggestion-card[data-category="{c}"]' for c in categories)
    return page.locator(sel).filter(has=page.get_by_role("button", name=re.compile(r"^Apply")))


def test_type_check_and_apply(open_page):
    page = open_page()
    use_rule_engine(page)
    type_text(page, TEXT)

    expect(page.locator("[data-suggestion]").first).to_be_visible()
    wait_until_checked(page)
    expect(page.locator("#engine-badge")).to_contain_text("Engine:")
    expect(page.locator("#analysis")).to_contain_text("Words")
    # The underlines sit on the right words.
    expect(page.locator('[data-suggestion][data-category="spelling"]').first).to_have_text("exampel")
    expect(card_for(page, "exampel")).to_have_count(1)
    expect(card_for(page, "are")).to_have_count(1)
    expect(card_for(page, "exampel").locator("ins")).to_have_text("example")
    expect(card_for(page, "are").locator("ins")).to_have_text("is")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web_editor.png"), full_page=True)

    for original in ("exampel", "are"):
        card = card_for(page, original)
        if card.count():  # an earlier fix may have made this one moot
            card.get_by_role("button", name=re.compile(r"^Apply")).click()
            wait_until_checked(page)
    assert "example" in page.input_value("#editor")
    assert page.input_value("#editor").startswith("This is")

    # Whatever grammar and spelling fixes remain (a -> an before "example").
    for _ in range(6):
        wait_until_checked(page)
        cards = fixable_cards(page)
        if not cards.count():
            break
        cards.first.get_by_role("button", name=re.compile(r"^Apply")).click()
    wait_until_checked(page)
    expect(page.locator("#editor")).to_have_value(FIXED)
    expect(fixable_cards(page)).to_have_count(0)
    expect(page.locator("#status")).not_to_have_attribute("data-kind", "error")

    # The "cached" badge tells what the service said (checking the same text again is
    # normally answered from the cache).
    with page.expect_response(lambda r: r.url.endswith("/v1/suggestions")) as answer:
        page.click("#check-btn")
    wait_until_checked(page)
    badge = page.locator("#cached-badge")
    if answer.value.json()["cached"]:
        expect(badge).to_be_visible()
    else:
        expect(badge).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "web_editor_fixed.png"), full_page=True)


def test_keyboard_only(open_page):
    page = open_page()
    use_rule_engine(page)
    type_text(page, TEXT)
    expect(page.locator(".suggestion-card").first).to_be_visible()
    wait_until_checked(page)

    # Tab from the editor to the first card's Apply button.
    page.locator("#editor").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.suggestion-card button[data-action=apply]')"):
            break
    else:
        pytest.fail("Tab never reached a suggestion card's Apply button")
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2, f"no visible focus ring on the focused button: {outline}"

    card = json.loads(page.evaluate(
        "JSON.stringify(Object.assign({}, document.activeElement.closest('.suggestion-card').dataset))"))
    start, original, replacement = int(card["start"]), card["original"], card["replacement"]
    assert TEXT[start:start + len(original)] == original  # ASCII text: code points == UTF-16 units
    page.keyboard.press("Enter")
    expect(page.locator("#editor")).to_have_value(TEXT[:start] + replacement + TEXT[start + len(original):])
    # Focus stays somewhere useful (the next card, or the editor), not lost to <body>.
    assert page.evaluate("document.activeElement !== document.body")
    expect(page.locator("#status")).to_contain_text("Applied")

    # Space works as well, once the page has re-checked.
    wait_until_checked(page)
    before = page.input_value("#editor")
    if page.locator(".suggestion-card button[data-action=apply]").count():
        page.locator(".suggestion-card button[data-action=apply]").first.focus()
        page.keyboard.press("Space")
        expect(page.locator("#editor")).not_to_have_value(before)


def test_emoji_before_the_error_underlines_the_right_word(open_page):
    page = open_page()
    use_rule_engine(page)
    type_text(page, "😀🎉 " + TEXT)
    mark = page.locator('[data-suggestion][data-category="spelling"]').first
    expect(mark).to_have_text("exampel")
    wait_until_checked(page)
    # Every underline covers exactly the text its card names.
    pairs = page.evaluate("""[...document.querySelectorAll('[data-suggestion]')].map(m =>
        [m.textContent, document.querySelector(`.suggestion-card[data-id="${m.dataset.suggestion}"]`).dataset.original])""")
    assert pairs and all(a == b for a, b in pairs), pairs
    card_for(page, "exampel").get_by_role("button", name=re.compile(r"^Apply")).click()
    expect(page.locator("#editor")).to_have_value("😀🎉 This are a example sentence.")


def test_200_percent_zoom_has_no_horizontal_scroll(open_page):
    # 1280 px at 200% zoom is a 640 CSS px wide viewport.
    page = open_page(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    use_rule_engine(page)
    type_text(page, TEXT)
    expect(page.locator(".suggestion-card").first).to_be_visible()
    wait_until_checked(page)
    expect(page.locator("#analysis-body")).to_be_visible()
    page.locator(".suggestion-card button[data-action=apply]").first.focus()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll at 640px: scrollWidth {widths[0]} > clientWidth {widths[1]}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web_editor_640.png"), full_page=True)


def test_api_key_is_sent_and_auth_errors_are_shown(open_page):
    page = open_page()
    seen: list[str | None] = []

    def deny(route):
        seen.append(route.request.headers.get("x-api-key"))
        route.fulfill(status=401, content_type="application/json",
                      body=json.dumps({"error": {"code": "unauthorized", "message": "API key required", "request_id": "r1"}}))

    page.route("**/v1/suggestions", deny)
    page.route("**/v1/analysis", deny)
    page.locator("details.settings summary").click()
    page.fill("#api-key", "test-key-123")
    page.locator("#api-key").press("Tab")
    with page.expect_request(lambda r: r.url.endswith("/v1/suggestions")):  # the page lists documents with the key too
        type_text(page, TEXT)
    status = page.locator("#status")
    expect(status).to_contain_text("API key")
    expect(status).to_have_attribute("data-kind", "error")
    assert seen and all(k == "test-key-123" for k in seen), seen
    assert page.evaluate("localStorage.getItem('writing-assistant.api-key')") == "test-key-123"
    # Nothing is underlined from a failed check.
    expect(page.locator("[data-suggestion]")).to_have_count(0)


def test_save_list_open_and_delete_documents(open_page):
    page = open_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete …?" and "unsaved changes" confirmations
    title = f"Letter {time.time_ns()}"
    status = page.locator("#status")
    page.fill("#doc-title", title)
    type_text(page, "Dear team, thank you.")
    expect(page.locator("#doc-state")).to_have_text("Not saved yet")
    page.locator("#editor").press("Control+s")
    expect(status).to_contain_text(f"Saved \u201c{title}\u201d")
    expect(page.locator("#doc-state")).to_have_text("Saved")

    page.locator("#doc-browser summary").click()
    item = page.locator(".doc-item").filter(has_text=title)
    expect(item).to_have_count(1)
    page.click("#doc-new")
    expect(page.locator("#editor")).to_have_value("")
    expect(page.locator("#doc-title")).to_have_value("")

    item.get_by_role("button", name=f"Open \u201c{title}\u201d").click()
    expect(page.locator("#editor")).to_have_value("Dear team, thank you.")
    expect(page.locator("#doc-title")).to_have_value(title)
    type_text(page, " See you soon.")
    expect(page.locator("#doc-state")).to_have_text("Unsaved changes")
    page.click("#doc-save")
    expect(page.locator("#doc-state")).to_have_text("Saved")
    expect(item).to_have_count(1)  # saved again in place, not a second copy

    page.reload()  # it is kept by the service, not the page
    page.locator("#doc-browser summary").click()
    item.get_by_role("button", name=f"Open \u201c{title}\u201d").click()
    expect(page.locator("#editor")).to_have_value("Dear team, thank you. See you soon.")
    wait_until_checked(page)

    item.get_by_role("button", name=f"Delete \u201c{title}\u201d").click()
    expect(status).to_contain_text(f"Deleted \u201c{title}\u201d")
    expect(item).to_have_count(0)
    expect(page.locator("#doc-state")).to_have_text("Not saved yet")  # the text stays, unsaved


def test_a_failed_save_says_why_and_keeps_the_text(open_page):
    page = open_page()
    page.route("**/v1/documents", lambda route: route.fulfill(
        status=503, headers={"Retry-After": "5"}, content_type="application/json",
        body=json.dumps({"error": {"code": "store_unavailable", "message": "the database is unreachable", "request_id": "r2"}}))
        if route.request.method == "POST" else route.continue_())
    type_text(page, "Unsaved words.")
    page.click("#doc-save")
    expect(page.locator("#status")).to_contain_text("Could not save the document: the database is unreachable")
    expect(page.locator("#status")).to_contain_text("Try again in 5 s")
    expect(page.locator("#status")).to_have_attribute("data-kind", "error")
    expect(page.locator("#editor")).to_have_value("Unsaved words.")
    expect(page.locator("#doc-state")).to_have_text("Not saved yet")
