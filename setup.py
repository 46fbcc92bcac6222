"""What setup.cfg cannot say: the wheel carries templates/, migrations/ and seeds/ inside ``crm``.

The folders stay at the top of the repository; setuptools maps each to a package under ``crm``
(``crm/templates``, ``crm/migrations``, ``crm/seeds`` in the installed tree), and ``crm.resources``
finds them there, or beside ``crm/`` in a source checkout. Every ``crm.*`` package is still found
automatically, so a new feature package needs no line here.
"""

from setuptools import find_namespace_packages, setup

# Package inside the wheel -> folder in the repository.
DATA_PACKAGES = {"crm.templates": "templates", "crm.migrations": "migrations", "crm.seeds": "seeds"}

# Their subfolders (templates/accounts, seeds/demo, ...) are listed too, or setuptools warns about each.
FOLDERS = [f"{package}.{sub}" for package, folder in DATA_PACKAGES.items()
           for sub in find_namespace_packages(where=folder)]

setup(
    packages=find_namespace_packages(include=["crm", "crm.*"]) + list(DATA_PACKAGES) + FOLDERS,
    package_dir=DATA_PACKAGES,
    # The compiled catalogues (crm/translations/<lang>/LC_MESSAGES/messages.mo) are what the app reads.
    package_data={"crm": ["static/**/*", "translations/*/LC_MESSAGES/*.mo"],
                  **{name: ["**/*"] for name in DATA_PACKAGES}},
    exclude_package_data={"": ["__pycache__/*", "*.pyc"]},
)
