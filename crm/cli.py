"""The ``crm`` command: Flask's CLI under the app factory, with the project's command groups.

Commands speak the language of ``CRM_LANG``, else of the environment's locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``), when the interface has it, else English. ``--help`` is English: click reads the help texts when
the commands are defined, before any language is chosen.
"""

from __future__ import annotations

import functools
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_babel import gettext as _

# Commands that serve pages or mail signed links: they need a real CRM_SECRET_KEY (only `crm run` in
# development mode may use the development key).
SIGNING_COMMANDS = {"run", "events", "advice", "shell"}
# Commands that neither serve pages nor build links: their app has no blueprint, so no view module is
# imported and they start fast (crm.features). (`crm --help` and `crm COMMAND --help` build no app at all.)
PAGELESS_COMMANDS = {None, "db", "config", "seed", "import", "search", "peers"}


def cli_language() -> str:
    """Return the language of the command's messages: ``CRM_LANG``, else the locale's (``fr_FR.UTF-8`` is French)."""
    from crm.i18n import DEFAULT, supported

    for name in ("CRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value:  # the first one set decides, as for any program: "C" or an unknown language is English
            return supported(value.split(".")[0].split("@")[0].split("_")[0]) or DEFAULT
    return DEFAULT


def _create_app():
    from crm import ConfigurationError, create_app

    command = sys.argv[1:2]
    name = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)  # `crm --debug run`
    if name == "run" and "FLASK_DEBUG" not in os.environ and \
            os.environ.get("CRM_DEBUG", "").strip().lower() in ("1", "true", "yes", "on"):
        # Flask's run command takes the debugger, the reloader and its banner from FLASK_DEBUG alone:
        # CRM_DEBUG=1 (what `make run` sets) turns them on too, so the banner says what is true.
        os.environ["FLASK_DEBUG"] = "1"
    try:
        app = create_app({"ALLOW_DEV_SECRET_KEY": name not in SIGNING_COMMANDS, "DEV_SERVER": name == "run",
                          "VIEWS": name not in PAGELESS_COMMANDS, "CLI_LANGUAGE": cli_language()})
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    if command and command[0] not in ("db", "config", "--help", "routes"):
        prepare_empty_database(app)
    return app


def prepare_empty_database(app) -> None:
    """Migrate and load reference data into a database that has no tables at all (a fresh folder).

    So ``CRM_DATABASE_URL=sqlite:///new.sqlite3 crm import cities FILE.csv`` works on its own. A database
    with any table is left alone: its migrations are ``crm db upgrade``'s business.
    """
    from crm import seeding
    from crm.db import database, router
    from crm.resources import ResourceNotFound

    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            if database.get_tables():
                return
            try:
                applied = router().run()
            except ResourceNotFound as exc:
                raise click.ClickException(str(exc)) from None
            seeding.run(demo=False)
            click.echo(_("Fresh database: applied %(count)s migration(s) and loaded the reference data.",
                         count=len(applied)), err=True)
        finally:
            database.close()


# The one-line help of Flask plugin commands that our dependencies install (entry points "flask.commands"),
# so that `crm --help` lists them without importing them: Flask-Limiter's imports its whole extension and
# rich. A plugin not named here is imported to be listed. (tests/test_cli.py compares these with the real ones.)
PLUGIN_HELP = {"limiter": "Flask-Limiter maintenance & utility commands"}


class CrmGroup(FlaskGroup):
    """Flask's command group that finds the ``crm`` commands without building the app.

    The core commands are defined below and the features name theirs by import string
    (``crm.features.Feature.cli``): their modules are small (each command imports what it needs when it
    runs) and are imported when a command is looked up. So ``crm --help`` and ``crm GROUP --help`` build no
    app; a command that needs one builds it when it runs (``with_appcontext``). ``app.cli`` gets the same
    commands (``init_app``), so ``flask --app wsgi`` and the test runner see them too.
    """

    @functools.cached_property
    def _app_commands(self) -> dict[str, click.Command]:
        """What ``init_app`` gives ``app.cli`` (the features' command modules imported: they are small)."""
        from crm import FEATURES
        from crm.features import declarations

        return app_commands(declarations(FEATURES))

    def _load_plugin_commands(self) -> None:
        """Load no plugin command up front: ``_plugin_command`` loads each when it is asked for."""

    @functools.cached_property
    def _plugins(self) -> dict:
        from importlib import metadata

        return {ep.name: ep for ep in metadata.entry_points(group="flask.commands")}

    def _plugin_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self._plugins:
            return None
        if ctx.meta.get("crm.listing") and name in PLUGIN_HELP:
            return click.Group(name, help=PLUGIN_HELP[name])  # listed only: it is imported to run
        self.add_command(self._plugins.pop(name).load(), name)
        return click.Group.get_command(self, ctx, name)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        # Flask's order: its own and the plugin commands, then the app's (core and features' here).
        command = (click.Group.get_command(self, ctx, name) or self._plugin_command(ctx, name)
                   or self._app_commands.get(name))
        return command or super().get_command(ctx, name)  # a command the app adds to app.cli itself

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(click.Group.list_commands(self, ctx)) | set(self._plugins) | set(self._app_commands))

    def format_commands(self, ctx: click.Context, formatter) -> None:
        ctx.meta["crm.listing"] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            ctx.meta.pop("crm.listing", None)


@click.group(cls=CrmGroup, create_app=_create_app, add_version_option=False,
             help="Run and manage the Strong Cities CRM.")
def main():
    """Run and manage the Strong Cities CRM."""


# --- database -----------------------------------------------------------------------------------

@click.group(cls=AppGroup)
def db():
    """Apply, list or roll back schema migrations."""


def _router():
    from crm.db import database, router
    from crm.resources import ResourceNotFound

    try:
        found = router()
    except ResourceNotFound as exc:
        raise click.ClickException(str(exc)) from None
    database.connect(reuse_if_open=True)
    return found


@db.command()
@with_appcontext
def upgrade():
    """Apply every pending migration."""
    r = _router()
    pending = r.diff
    if not pending:
        click.echo(_("Database is up to date."))
        return
    with click.progressbar(pending, label=_("Applying migrations"), file=sys.stderr) as bar:
        for name in bar:
            r.run_one(name, r.migrator, fake=False)
    click.echo(_("Applied %(count)s migration(s): %(names)s", count=len(pending), names=", ".join(pending)))


@db.command()
@with_appcontext
def status():
    """List applied and pending migrations."""
    r = _router()
    for name in r.done:
        click.echo(_("[applied] %(name)s", name=name))
    for name in r.diff:
        click.echo(_("[pending] %(name)s", name=name))
    click.echo(_("%(done)s applied, %(pending)s pending.", done=len(r.done), pending=len(r.diff)))


@db.command()
@with_appcontext
def downgrade():
    """Roll back the last applied migration."""
    r = _router()
    if not r.done:
        raise click.ClickException(_("No migration has been applied."))
    name = r.done[-1]
    r.rollback()
    click.echo(_("Rolled back %(name)s.", name=name))


@db.command("new", with_appcontext=False)
@click.argument("name")
def new_migration(name):
    """Write a migration file with the difference between the models and the migrations (review it!)."""
    import peewee

    from crm.db import all_models, database, router

    database.initialize(peewee.SqliteDatabase(":memory:"))
    created = router().create(name, auto=all_models())
    click.echo(_("Wrote migrations/%(name)s.py: review it before committing.", name=created) if created
               else _("No changes found."))


# --- seeds --------------------------------------------------------------------------------------

@click.command()
@click.option("--demo", is_flag=True, help="Also load the demo network and the demo logins.")
@with_appcontext
def seed(demo):
    """Load reference data (and with --demo the demo network); running it twice adds nothing."""
    from crm import seeding
    from crm.db import database

    database.connect(reuse_if_open=True)
    with click.progressbar(length=len(seeding.loaders(demo=demo)), label=_("Loading seeds"),
                           file=sys.stderr) as bar:
        created = seeding.run(demo=demo, progress=lambda _name: bar.update(1))
    total = sum(created.values())
    click.echo(_("Created %(count)s record(s).", count=total) if total
               else _("Nothing to add: the seeds are already loaded."))
    if demo:
        click.echo(_("Demo logins:"))
        for role, email, _name, password in seeding.DEMO_LOGINS:
            click.echo(_("  %(role)s %(email)s password: %(password)s", role=role.ljust(7), email=email.ljust(22),
                         password=password))


# --- users --------------------------------------------------------------------------------------

@click.group(cls=AppGroup)
def users():
    """Create users from the command line."""


@users.command("create")
@click.option("--email", required=True, help="The user's email address.")
@click.option("--role", required=True, type=click.Choice(["admin", "staff", "member"]), help="The user's role.")
@click.option("--name", default="", help="Display name (defaults to the email address).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The password (asked for when not given).")
@with_appcontext
def users_create(email, role, name, password):
    """Create a user with a password."""
    from crm.accounts.services import AccountError, create_user
    from crm.db import database
    from crm.forms import PASSWORD_MIN

    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(_("use at least %(count)s characters", count=PASSWORD_MIN), param_hint="--password")
    database.connect(reuse_if_open=True)
    try:
        user = create_user(email, name or email, role, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_("Created %(role)s %(email)s.", role=user.role, email=user.email))


# --- mail ---------------------------------------------------------------------------------------

@click.group("mail", cls=AppGroup)
def mail_group():
    """Work with the mail outbox."""


@mail_group.command("send-queued")
@click.option("--force", is_flag=True, help="Retry every queued mail now, ignoring the backoff.")
@click.option("--limit", type=int, default=None, help="Send at most this many mails.")
@click.option("--reclaim-after", type=click.IntRange(min=0), default=None, metavar="SECONDS",
              help="Take back mails left 'sending' this long by a stopped sender (default CRM_MAIL_CLAIM_TIMEOUT); "
                   "use 0 only when no other sender is running.")
@with_appcontext
def send_queued(force, limit, reclaim_after):
    """Send queued mails whose next attempt is due (meant for cron, e.g. every minute).

    Several runs may overlap: each mail is claimed before it is sent, so it goes out once.
    """
    from crm import mail
    from crm.db import database

    database.connect(reuse_if_open=True)
    if limit is None and current_app.config.get("MAIL_RATE"):
        limit = current_app.config["MAIL_RATE"]  # run by cron every minute: at most CRM_MAIL_RATE a minute
    due = mail.OutboxMail.select().where(mail.OutboxMail.status == mail.QUEUED).count()
    with click.progressbar(length=limit or due, label=_("Sending mail"), file=sys.stderr) as bar:
        sent, failed = mail.send_queued(force=force, limit=limit, progress=bar.update, reclaim_after=reclaim_after)
    click.echo(_("Sent %(sent)s mail(s); %(failed)s could not be sent and stay queued or were given up.",
                 sent=sent, failed=failed))
    if failed:
        current_app.logger.warning("%d mail(s) failed", failed)


@click.command("config")
def show_config():
    """Print the configuration settings as a Markdown table."""
    from crm.config import settings_table

    click.echo(settings_table())


CORE_COMMANDS = (db, seed, users, mail_group, show_config)


def extend_core_group(group: click.Command, refs: list[str]) -> click.Command:
    """Add to a core group (``crm mail``) the subcommands of a feature's group of the same name.

    Such a group is named in ``Feature.cli`` by an import string whose attribute holds the core group's name
    (``crm.mailings.commands:mail_group``), so only those modules are imported to find them.
    """
    from crm.features import resolve

    if isinstance(group, click.Group):
        for ref in refs:
            if group.name in ref.partition(":")[2]:
                extra = resolve(ref)
                if extra is not group and extra.name == group.name and isinstance(extra, click.Group):
                    for command in extra.commands.values():
                        group.add_command(command)
    return group


def app_commands(features) -> dict[str, click.Command]:
    """The ``crm`` commands of an app with ``features`` (``Feature`` declarations), by name: the core ones
    (extended by the features' groups of the same name), the features' own and the ``crm import`` group."""
    from crm.features import resolve

    core = {command.name for command in CORE_COMMANDS}
    refs = [ref for f in features for ref in f.cli]
    commands = {command.name: extend_core_group(command, refs) for command in CORE_COMMANDS}
    for ref in refs:
        command = resolve(ref)
        if command.name not in core:  # a feature's `mail` group only adds commands to the core one
            commands[command.name] = command
    imports = [ref for f in features for ref in f.cli_imports]
    if imports:
        commands["import"] = import_group(imports)
    return commands


def init_app(app) -> None:
    """Add the core commands and those the app's features declare to ``app.cli`` (``crm`` lists them)."""
    from crm.features import registry

    for command in app_commands(registry(app).features).values():
        app.cli.add_command(command)


def import_group(refs: list[str]) -> AppGroup:
    """Return the ``crm import`` group with the commands that ``refs`` (import strings) name."""
    from crm.features import resolve

    group = AppGroup("import", help=IMPORT_GROUP_HELP)
    for ref in refs:
        group.add_command(resolve(ref))
    return group


# --- imports: the shared `crm import` group's helpers (features add its commands) ----------------

IMPORT_GROUP_HELP = "Import records from CSV files (the same checks as the import pages)."


def run_import(check, apply, path, mode, only_valid, label):
    """Check a CSV file, print its errors with row numbers, and import it (all or nothing, unless --only-valid)."""
    from crm import indexing
    from crm.core.csvimport import ImportRefused, echo_plan, read_csv_file
    from crm.db import database

    database.connect(reuse_if_open=True)
    plan = check(read_csv_file(path))
    echo_plan(plan)
    try:
        result = apply(plan, mode=mode, only_valid=only_valid)
    except ImportRefused as exc:
        raise click.ClickException(_("%(count)s row(s) with errors; nothing was imported. %(reason)s "
                                     "(--only-valid imports the valid rows.)", count=len(plan.invalid),
                                     reason=exc)) from exc
    indexing.apply_pending(wait=True)
    click.echo(f"{label}: {result}.")


MODE_OPTION = click.option("--mode", type=click.Choice(["skip", "update", "fill"]), default=None,
                           help="Existing records: skip them, update them, or fill only their empty fields.")
ONLY_VALID_OPTION = click.option("--only-valid", is_flag=True,
                                 help="Import the valid rows even if others have errors.")


def csv_import_command(name: str, module: str, *, default_mode: str, label: str, doc: str) -> click.Command:
    """Return ``crm import <name> FILE.csv``, running ``check_<name>`` and ``import_<name>`` of ``module``."""
    @click.command(name, help=doc)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @MODE_OPTION
    @ONLY_VALID_OPTION
    @with_appcontext
    def command(path, mode, only_valid):
        from crm.features import resolve

        run_import(resolve(f"{module}:check_{name}"), resolve(f"{module}:import_{name}"), path,
                   mode or default_mode, only_valid, label)

    return command


if __name__ == "__main__":
    main()
