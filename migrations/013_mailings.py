"""013: mailings: lists, subscriptions, unsubscribes, mailings and deliveries; extra headers on outbox mails."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('outbox_mail', headers_json=pw.TextField(default='{}'))

    @migrator.create_model
    class MailingList(pw.Model):
        id = pw.AutoField()
        slug = pw.CharField(max_length=60, unique=True)
        name = pw.CharField(max_length=120, unique=True)
        description = pw.CharField(default='', max_length=300)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "mailing_list"

    @migrator.create_model
    class Subscription(pw.Model):
        id = pw.AutoField()
        contact = pw.ForeignKeyField(column_name='contact_id', field='id', model=migrator.orm['contact'], on_delete='CASCADE')
        mailing_list = pw.ForeignKeyField(column_name='mailing_list_id', field='id', model=migrator.orm['mailing_list'],
                                          on_delete='CASCADE')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "subscription"
            indexes = [(('contact', 'mailing_list'), True)]

    @migrator.create_model
    class Mailing(pw.Model):
        id = pw.AutoField()
        mailing_list = pw.ForeignKeyField(column_name='mailing_list_id', field='id', model=migrator.orm['mailing_list'],
                                          on_delete='RESTRICT')
        subject = pw.CharField(max_length=200)
        body = pw.TextField(default='')
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user_account'],
                                        null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        queued_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "mailing"

    @migrator.create_model
    class Unsubscribe(pw.Model):
        id = pw.AutoField()
        contact = pw.ForeignKeyField(column_name='contact_id', field='id', model=migrator.orm['contact'], on_delete='CASCADE')
        mailing_list = pw.ForeignKeyField(column_name='mailing_list_id', field='id', model=migrator.orm['mailing_list'],
                                          null=True, on_delete='CASCADE')
        mailing = pw.ForeignKeyField(column_name='mailing_id', field='id', model=migrator.orm['mailing'], null=True,
                                     on_delete='SET NULL')
        how = pw.CharField(default='link', max_length=20)
        created_at = pw.DateTimeField()
        withdrawn_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "unsubscribe"

    @migrator.create_model
    class Delivery(pw.Model):
        id = pw.AutoField()
        mailing = pw.ForeignKeyField(column_name='mailing_id', field='id', model=migrator.orm['mailing'], on_delete='CASCADE')
        contact = pw.ForeignKeyField(column_name='contact_id', field='id', model=migrator.orm['contact'], on_delete='CASCADE')
        outbox_mail_id = pw.IntegerField(index=True, null=True)
        email = pw.CharField(max_length=254)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "delivery"
            indexes = [(('mailing', 'contact'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('delivery')
    migrator.remove_model('unsubscribe')
    migrator.remove_model('mailing')
    migrator.remove_model('subscription')
    migrator.remove_model('mailing_list')
    migrator.remove_fields('outbox_mail', 'headers_json')
