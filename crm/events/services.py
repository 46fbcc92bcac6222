"""Events: the services by stage, under one name for callers that want them all.

The work lives in ``planning`` (events and agenda), ``registration`` (seats, offers, reminders),
``invitations``, ``checkin`` and ``reports``; links, tokens and time zones in ``links`` and
``timezones``; who sees what in ``visibility``.
"""

from crm.events.checkin import add_walk_in, check_in
from crm.events.errors import EventError, RegistrationRefused
from crm.events.invitations import (
    MAX_INVITATION_REMINDERS,
    answer_invitation,
    filter_contacts,
    invitation_link,
    send_invitation_reminders,
    send_invitations,
    why_not_invitable,
)
from crm.events.links import (
    FEED_SALT,
    INVITATION_SALT,
    REGISTRATION_SALT,
    absolute_url,
    event_link,
    invitation_for_token,
    mail_context,
    make_token,
    manage_link,
    registration_for_token,
    user_id_for_feed_token,
)
from crm.events.planning import (
    EVENT_FIELDS,
    PRACTICAL_FIELDS,
    agenda_days,
    cancel_event,
    complete_event,
    create_event,
    delete_session,
    publish_event,
    save_session,
    update_event,
)
from crm.events.registration import (
    ACTIVE_REGISTRATION,
    DETAIL_FIELDS,
    cancel_registration,
    confirm_offer,
    counts,
    find_or_create_contact,
    move_registration,
    participants,
    process_offers,
    refusal,
    register,
    register_user,
    registration_of,
    resend_manage_link,
    send_reminders,
)
from crm.events.reports import (
    CSV_COLUMNS,
    attendance_over_time,
    city_event_participation,
    contact_event_history,
    event_report,
    participants_csv,
    upcoming_with_seats,
)
from crm.events.timezones import format_local, to_local, to_utc
from crm.events.visibility import can_see, contact_for_user, feed_events, feed_token, visible_events

__all__ = [
    "ACTIVE_REGISTRATION", "CSV_COLUMNS", "DETAIL_FIELDS", "EVENT_FIELDS", "FEED_SALT", "INVITATION_SALT",
    "MAX_INVITATION_REMINDERS", "PRACTICAL_FIELDS", "REGISTRATION_SALT", "EventError", "RegistrationRefused",
    "absolute_url", "add_walk_in", "agenda_days", "answer_invitation", "attendance_over_time", "can_see",
    "cancel_event", "cancel_registration", "check_in", "city_event_participation", "complete_event",
    "confirm_offer", "contact_event_history", "contact_for_user", "counts", "create_event", "delete_session",
    "event_link", "event_report", "feed_events", "feed_token", "filter_contacts", "find_or_create_contact",
    "format_local", "invitation_for_token", "invitation_link", "mail_context", "make_token", "manage_link",
    "move_registration", "participants", "participants_csv", "process_offers", "publish_event", "refusal",
    "register", "register_user", "registration_for_token", "registration_of", "resend_manage_link",
    "save_session", "send_invitation_reminders", "send_invitations", "send_reminders", "to_local", "to_utc",
    "update_event", "upcoming_with_seats", "user_id_for_feed_token", "visible_events", "why_not_invitable",
]
