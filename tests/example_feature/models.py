"""The example feature's one model."""

import peewee

from crm.db import BaseModel, utcnow


class ExampleNote(BaseModel):
    """A short note."""

    text = peewee.CharField(max_length=200)
    created_at = peewee.DateTimeField(default=utcnow)
