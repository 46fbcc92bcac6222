import pytest
from flask import g

from tests.search_integration.network import small_network


@pytest.fixture(autouse=True)
def _fresh_login_per_request(app):
    # The test's app context stays pushed, so g (and Flask-Login's cached user) would outlive a request.
    app.url_value_preprocessor(lambda endpoint, values: g.pop("_login_user", None))


@pytest.fixture
def network(app):
    return small_network()
