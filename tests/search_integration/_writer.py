"""A worker process for the concurrency test: changes searchable records and applies the log as a request would."""

import sys

from crm import create_app, indexing
from crm.db import database


def main(url, index_dir, city_id, worker, count):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url, "INDEX_DIR": index_dir,
                      "MAIL_SUPPRESS_SEND": True, "RATELIMIT_STORAGE_URI": "memory://"})
    from crm.incidents.models import Incident
    from crm.incidents.services import create_incident, update_incident
    from crm.lessons.services import create_lesson
    from crm.membership.models import City

    with app.app_context():
        database.connect(reuse_if_open=True)
        city = City.get_by_id(city_id)
        staff = type("Actor", (), {"is_authenticated": True, "is_secretariat": True, "role": "staff", "id": None,
                                   "city_id": None, "email": ""})()
        for n in range(count):
            with app.test_request_context():
                row = create_incident(city, {"title": f"w{worker} incident {n}", "summary": f"bilby{worker} {n}",
                                             "facets": {"attack": ["arson"]}}, actor=None)
                if n % 3 == 0:
                    update_incident(row, {"summary": f"bilby{worker} {n} updated"}, actor=staff)
                if n % 4 == 0:
                    create_lesson(city, {"title": f"w{worker} lesson {n}", "body": "text", "phase": "first_week",
                                         "themes": [], "visibility": "network"}, actor=None, status="published")
                # what the after-request hook does: apply if the lock is free, leave it otherwise
                indexing.apply_quietly()
        print("done", Incident.select().count())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
