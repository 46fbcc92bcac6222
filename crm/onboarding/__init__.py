"""A new member city's first steps, on its members' home page: profile, focal point, expertise, first event."""

from crm.features import Feature

feature = Feature(name="onboarding")
