"""022: a city's latitude and longitude, from the offline gazetteer; existing cities are placed here."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core import gazetteer


def _place_cities(database: pw.Database) -> None:
    city = pw.Table('city', ('id', 'name', 'country', 'latitude', 'longitude')).bind(database)
    for city_id, name, country in list(city.select(city.id, city.name, city.country)
                                       .where(city.latitude.is_null()).tuples()):
        place = gazetteer.locate(name, country)
        if place is not None:
            (city.update({city.latitude: place.latitude, city.longitude: place.longitude})
             .where(city.id == city_id).execute())


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('city', latitude=pw.FloatField(null=True), longitude=pw.FloatField(null=True))
    if not fake:
        migrator.run(_place_cities, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('city', 'latitude', 'longitude')
