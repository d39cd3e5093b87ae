"""The web router without a browser: content types, caching, the CSP of the demo page, no path escapes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_widget_files_have_types_and_a_short_cache(client: TestClient) -> None:
    js = client.get("/widget.js")
    assert js.status_code == 200
    assert js.headers["content-type"].startswith("text/javascript")
    assert js.headers["cache-control"] == "public, max-age=300"
    assert "innerHTML" not in js.text and "insertAdjacentHTML" not in js.text and "outerHTML" not in js.text
    css = client.get("/widget.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.headers["x-content-type-options"] == "nosniff"


def test_demo_page_embeds_the_widget_with_one_script_tag(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("<script") == 1
    assert 'src="http://testserver/widget.js" data-loket-base="http://testserver"' in page.text
    assert '<html lang="nl">' in page.text and page.text.count("<h1") == 1
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_static_files_cannot_escape_the_folder(client: TestClient) -> None:
    assert client.get("/static/site.css").status_code == 200
    for path in ("/static/..%2Fweb.py", "/static/%2E%2E%2Fapi.py", "/static/nope.css", "/static/demo.html"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()


def test_condition_labels_follow_the_language(client: TestClient, knowledge) -> None:  # type: ignore[no-untyped-def]
    nl = client.get("/widget/conditions", headers={"Accept-Language": "nl"}).json()
    en = client.get("/widget/conditions?lang=en").json()
    assert set(nl) == set(knowledge.routes.conditions) and "vog" in nl
    assert nl["vog"]["title"] == knowledge.routes.conditions["vog"].title.get("nl")
    assert en["vog"]["title"] == knowledge.routes.conditions["vog"].title.get("en")
    assert nl["vog"]["title"] != en["vog"]["title"]
