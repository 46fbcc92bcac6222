"""Helpers shared by tests (fixtures live in conftest.py)."""

import time

PASSWORD = "correct horse battery"


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
