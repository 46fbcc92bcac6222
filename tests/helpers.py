"""Helpers shared by tests (fixtures live in conftest.py)."""

import re
import time
from urllib.parse import urljoin, urlsplit

PASSWORD = "correct horse battery"


def demo_login(role: str) -> tuple[str, str]:
    """The email and password of the demo network's ``role`` user (member, staff or admin)."""
    from crm import seeding

    return {r: (email, password) for r, email, _name, password in seeding.DEMO_LOGINS}[role]


def linked_paths(url: str, html: str, skip: re.Pattern) -> list[str]:
    """The paths (with query) of the page's links to this site that ``skip`` does not match, less pagination."""
    paths = []
    for href in re.findall(r'href="([^"#]+)', html):
        parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
        if parts.netloc and parts.netloc != "localhost":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not skip.search(path) and "page=" not in path:
            paths.append(path)
    return paths


def search_doc(n, kind="incident", city="1", body="", **extra) -> dict:
    """Search document number ``n`` (an incident of city 1 about a vehicle ramming unless told otherwise)."""
    return {"doc_id": f"{kind}:{n}", "kind": kind, "city_id": city, "title": f"Document {n}",
            "body": body or f"A lorry was driven into a crowded market, document number {n}.",
            "facets": ["attack:vehicle_ramming", "target:crowded_public_place"],
            "languages": ["en", "fr"], "region": "western_europe", "city_status": "active",
            "visibility": "network", "stamp": f"v{n}", **extra}


def login(client, email, password=PASSWORD, remember=False):
    """Sign ``client`` in through the login form and return the response."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/account/login", data=data)


def upload_import(client, url, text, mode="skip", filename="file.csv", timeout=120):
    """Upload a CSV file (text or bytes) to an import page and follow its background check to the end.

    Returns (response of the upload, job page URL or None, HTML of the finished job page or None)."""
    import io

    data = text.encode() if isinstance(text, str) else text
    response = client.post(url, data={"upload": (io.BytesIO(data), filename), "mode": mode},
                           content_type="multipart/form-data")
    if response.status_code != 302:
        return response, None, None
    job_url = response.headers["Location"]
    return response, job_url, wait_for_job(client, job_url, timeout)


def wait_for_job(client, job_url, timeout=120):
    """Poll an import job page until it stops refreshing itself; return its HTML (whitespace collapsed)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        page = client.get(job_url)
        assert page.status_code == 200, page.status_code
        html = page.get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return " ".join(html.split())
        assert time.monotonic() < deadline, "the import job did not finish in time"
        time.sleep(0.1)


def wait_for_mail(smtp, address, subject_start="", timeout=10):
    """Return the last mail to ``address`` (whose subject starts with ``subject_start``), waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp.to(address) if m["Subject"].startswith(subject_start)]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail {subject_start + '… ' if subject_start else ''}reached {address}")


def sign_in_page(page, email, password=PASSWORD):
    """Sign in through the login page in a browser test; the home page follows."""
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
