"""Helpers shared by tests (fixtures live in conftest.py)."""

PASSWORD = "correct horse battery"


def login(client, email, password=PASSWORD, remember=False):
    """Sign ``client`` in through the login form and return the response."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/account/login", data=data)
