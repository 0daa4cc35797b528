"""The pages of `casegraph serve` in a real browser: Debian's Chromium driven by Playwright.

    python3 tests/browser/pages.py http://127.0.0.1:PORT SITE_DIR ARTEFACTS_DIR [DOCS_IMAGE]

On the server: follows the home page to an entity page (its quote and its article), runs a
named query from its form, edits and runs a SPARQL query, searches for an entity, filters the
list of entities. In the static site that `casegraph site` wrote to SITE_DIR, opened from disk:
follows the home page to an entity page, and searches with the header's box (the script's
filter). No page may ask for anything from another address. Each page is saved as a
screenshot in ARTEFACTS_DIR; DOCS_IMAGE, when given, gets the entity page's screenshot for the
documentation. Exits 1 when a check fails.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect, sync_playwright

# The flags that work on this kind of machine: no sandbox as root, and no background
# connections, which the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(base: str, site: Path, artefacts: Path, docs_image: Path | None) -> int:
    artefacts.mkdir(parents=True, exist_ok=True)
    origin = urlsplit(base).netloc
    elsewhere: list[str] = []
    errors: list[str] = []
    passed = []

    def check(name, run):
        run()
        passed.append(name)
        print(f"ok {name}")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.on(
            "request",
            lambda r: None
            if urlsplit(r.url).netloc == origin or r.url.startswith("file://")
            else elsewhere.append(r.url),
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def shot(name):
            page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)

        def home_to_entity():
            page.goto(base)
            expect(page.locator("h1")).to_contain_text("hikvision-canada")
            expect(page.locator("#sources")).to_contain_text("000_40b924c83f926040.txt")
            shot("home")
            page.get_by_role("link", name="Entities", exact=True).click()
            page.get_by_role("link", name="Mélanie Joly", exact=True).first.click()
            expect(page.locator("h1")).to_have_text("Mélanie Joly")
            quote = page.locator("figure.quote").filter(
                has_text="continued operations in Canada would be injurious"
            ).first
            expect(quote).to_be_visible()
            expect(quote.locator("figcaption")).to_contain_text("quoted by source-001")
            expect(page.locator("img.drawing")).to_be_visible()
            if docs_image is not None:
                docs_image.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(docs_image))
            shot("entity")
            quote.locator("figcaption a", has_text="source-001").click()
            expect(page.locator("h1")).to_contain_text("source 001")
            expect(page.locator("#only")).to_be_visible()
            shot("source")

        def named_query():
            page.goto(base)
            page.get_by_role("link", name="Queries", exact=True).click()
            page.get_by_role("link", name="Which articles mention an entity").click()
            page.locator("input[name=entity]").fill("case:Hikvision")
            page.get_by_role("button", name="Run").click()
            answer = page.locator("#answer table")
            expect(answer).to_contain_text("source 004")
            expect(page.locator("input[name=entity]")).to_have_value("case:Hikvision")
            shot("named-query")

        def sparql_editor():
            page.goto(base)
            page.get_by_role("link", name="SPARQL", exact=True).click()
            editor = page.locator("textarea[name=query]")
            expect(editor).to_contain_text("PREFIX cg:")
            editor.fill(
                "SELECT ?name WHERE { case:Hikvision skos:altLabel ?name } ORDER BY ?name"
            )
            # The script's Ctrl+Enter runs it, as the button would.
            editor.press("Control+Enter")
            expect(page.locator("#answer table")).to_contain_text(
                "Hangzhou Hikvision Digital Technology Co., Ltd."
            )
            csv = page.get_by_role("link", name="csv", exact=True).get_attribute("href")
            download = page.request.get(base.rstrip("/") + csv if csv.startswith("/") else csv)
            assert download.status == 200, download.status
            assert "HikVision" in download.text(), download.text()
            shot("sparql")

        def search():
            page.goto(base)
            page.get_by_role("searchbox").fill("MELANIE")
            page.get_by_role("searchbox").press("Enter")
            expect(page.locator("h1")).to_contain_text("Search: MELANIE")
            page.get_by_role("link", name="Mélanie Joly", exact=True).click()
            expect(page.locator("h1")).to_have_text("Mélanie Joly")
            page.goto(base.rstrip("/") + "/entities")
            page.locator("#filter").fill("hikvision canada")
            visible = page.locator("#entities li:visible")
            expect(visible.first).to_contain_text("Hikvision Canada")
            assert visible.count() < page.locator("#entities li").count()
            shot("search")

        def static_site():
            page.goto((site / "index.html").resolve().as_uri())
            expect(page.locator("#sources")).to_contain_text("000_40b924c83f926040.txt")
            page.get_by_role("link", name="Entities", exact=True).click()
            page.get_by_role("link", name="Mélanie Joly", exact=True).first.click()
            expect(page.locator("h1")).to_have_text("Mélanie Joly")
            expect(page.locator("figure.quote").first).to_contain_text("quoted by source-000")
            expect(page.locator("img.drawing")).to_be_visible()
            assert page.url.endswith("/entity/MelanieJoly.html"), page.url
            page.get_by_role("searchbox").fill("hikvision canada")
            page.get_by_role("searchbox").press("Enter")
            expect(page.locator("#filter")).to_have_value("hikvision canada")
            visible = page.locator("#entities li:visible")
            expect(visible.first).to_contain_text("Hikvision Canada")
            assert visible.count() < page.locator("#entities li").count()
            shot("site-search")

        failed = []
        for name, run in [
            ("home page to an entity page, its quote and its article", home_to_entity),
            ("a named query run from its form", named_query),
            ("a SPARQL query edited and run", sparql_editor),
            ("search by name, case and accents ignored", search),
            ("the static site, from disk: an entity page and the search filter", static_site),
        ]:
            try:
                check(name, run)
            except Exception as e:  # report every failure, then fail
                failed.append(name)
                print(f"FAILED {name}: {e}")
                shot("failed-" + name.split()[0])
        browser.close()

    if elsewhere:
        failed.append("nothing from elsewhere")
        print("FAILED pages asked for other addresses:", *sorted(set(elsewhere)), sep="\n  ")
    if errors:
        failed.append("no script errors")
        print("FAILED the console had errors:", *errors, sep="\n  ")
    print(f"screenshots in {artefacts}")
    print(f"browser: {len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(
        main(
            sys.argv[1],
            Path(sys.argv[2]),
            Path(sys.argv[3]),
            Path(sys.argv[4]) if len(sys.argv) == 5 else None,
        )
    )
