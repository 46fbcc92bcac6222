"""The incidents a peer city was matched on keep the language they were written in (issue 13): on the workspace page
their titles and snippets carry lang (and dir=auto) when that is not the reader's language."""

from crm.workspace.models import Workspace
from tests.search_integration.network import apply, incident, link

SPANISH = ("Tiroteo en la mezquita durante la oración del viernes",
           "Un hombre armado abrió fuego contra los fieles en la mezquita durante la oración del viernes. El autor "
           "tenía ideas de extrema derecha y odio contra los musulmanes.")
DESCRIPTION = ("Vendredi, un homme armé a ouvert le feu dans la mosquée pendant la prière. "
               "L'auteur avait des idées d'extrême droite.")


def _peers(html: str) -> str:
    return html.split('id="peers"')[1].split('id="lessons"')[0]


def test_a_matched_spanish_incident_is_marked_spanish_for_others_and_not_for_a_spanish_reader(login_as, network):
    spanish = incident(network["market"], *SPANISH, {"attack": ["shooting"], "target": ["place_of_worship"],
                                                    "motive": ["far_right"]})
    assert spanish.language == "es"
    apply()
    member = login_as("member")
    link(member.user, network["asking"])
    assert member.post("/workspace/new", data={"description": DESCRIPTION, "phase": "first_week",
                                               "needs": ""}).status_code == 302
    workspace = Workspace.get()

    french = _peers(member.get(f"/workspace/{workspace.id}?lang=fr").get_data(as_text=True))
    assert f'<span lang="es" dir="auto">{SPANISH[0]}</span>' in french
    assert "Shootings at two mosques" in french and '<span lang="en" dir="auto">Shootings at two mosques' in french

    in_spanish = _peers(member.get(f"/workspace/{workspace.id}?lang=es").get_data(as_text=True))
    assert SPANISH[0] in in_spanish and 'lang="es"' not in in_spanish

    english = _peers(member.get(f"/workspace/{workspace.id}?lang=en").get_data(as_text=True))
    assert "Incident: Shootings at two mosques" in english  # English to an English reader: as before
    assert f'Incident: <span lang="es" dir="auto">{SPANISH[0]}</span>' in english


def test_a_title_of_unknown_language_is_isolated_on_a_right_to_left_page_only(app):
    from flask_babel import force_locale

    from crm.peers.language import in_language

    with app.test_request_context("/"):
        assert in_language("Truck attack (2016)", "") == "Truck attack (2016)"
        with force_locale("ar"):
            assert str(in_language("Truck attack <b>", "")) == "<bdi>Truck attack &lt;b&gt;</bdi>"
