"""013: mailings: lists, subscriptions, unsubscribes, mailings and deliveries; extra headers on outbox mails."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('outbox_mail', headers_json=pw.TextField(default='{}'))

    create_table(migrator, "MailingList", "mailing_list",
                 slug=pw.CharField(max_length=60, unique=True),
                 name=pw.CharField(max_length=120, unique=True),
                 description=pw.CharField(default='', max_length=300),
                 created_at=pw.DateTimeField())

    create_table(migrator, "Subscription", "subscription",
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 mailing_list=foreign_key(migrator, 'mailing_list', on_delete='CASCADE'),
                 created_at=pw.DateTimeField(),
                 indexes=[(('contact', 'mailing_list'), True)])

    create_table(migrator, "Mailing", "mailing",
                 mailing_list=foreign_key(migrator, 'mailing_list', on_delete='RESTRICT'),
                 subject=pw.CharField(max_length=200),
                 body=pw.TextField(default=''),
                 created_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField(),
                 queued_at=pw.DateTimeField(null=True))

    create_table(migrator, "Unsubscribe", "unsubscribe",
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 mailing_list=foreign_key(migrator, 'mailing_list', null=True, on_delete='CASCADE'),
                 mailing=foreign_key(migrator, 'mailing', null=True, on_delete='SET NULL'),
                 how=pw.CharField(default='link', max_length=20),
                 created_at=pw.DateTimeField(),
                 withdrawn_at=pw.DateTimeField(null=True))

    create_table(migrator, "Delivery", "delivery",
                 mailing=foreign_key(migrator, 'mailing', on_delete='CASCADE'),
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 outbox_mail_id=pw.IntegerField(index=True, null=True),
                 email=pw.CharField(max_length=254),
                 created_at=pw.DateTimeField(),
                 indexes=[(('mailing', 'contact'), True)])


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "delivery", "unsubscribe", "mailing", "subscription", "mailing_list")
    migrator.remove_fields('outbox_mail', 'headers_json')
