"""Demo events (seeds/demo/events.json) with agendas and registrations drawn from the demo contacts."""
