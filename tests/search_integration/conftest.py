import pytest

from tests.search_integration.network import small_network


@pytest.fixture
def network(app):
    return small_network()
