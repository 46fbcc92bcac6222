"""Fixtures for mailings tests: the default lists, a city and a few contacts with different consents."""

import pytest


@pytest.fixture
def lists(app):
    from crm.mailings.models import MailingList
    from crm.mailings.services import ensure_default_lists

    ensure_default_lists()
    return {found.slug: found for found in MailingList.select()}


@pytest.fixture
def people(app):
    """Ada and Finn get network news; Bob asked not to be contacted, Cy has no address, Dee declined news."""
    from crm.contacts.models import Contact
    from crm.membership.models import City

    lyon = City.create(name="Lyon", name_key="lyon", country="FR", region="western_europe")

    def make(name, email, **values):
        return Contact.create(name=name, name_key=name.lower(), email=email, city=lyon, **values)

    return {
        "ada": make("Ada Lovelace", "ada@lyon.example.org", organisation="A&B <Lab>"),
        "finn": make("Finn Berg", "finn@lyon.example.org"),
        "bob": make("Bob Stone", "bob@lyon.example.org", do_not_contact=True),
        "cy": make("Cy Nowhere", None),
        "dee": make("Dee Quiet", "dee@lyon.example.org", accepts_network_news=False),
    }


@pytest.fixture
def staff(login_as):
    return login_as("staff")


@pytest.fixture
def news_mailing(app, lists, people, make_user):
    from crm.mailings.services import save_mailing

    return save_mailing(None, mailing_list=lists["network-news"], subject="News for {{ first_name }}",
                        body="Hello {{ first_name }} of {{ city }}!\n\n**Workshop** on 3 May.", actor=make_user("staff"))
