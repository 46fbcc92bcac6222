"""What several features share, so that none has to lean on another.

``fields`` (JSON list and dict columns), ``names`` (folding, countries, regions), ``csvimport`` and
``imports`` (the CSV import machinery, its background jobs and its two pages), ``csvexport``, ``tokens``
(signed links), ``urls`` (absolute addresses, in a request or from cron alike), ``errors`` (the base of
every user-facing refusal), ``operations`` (the one way an edit is saved and audited) and ``signals``
(how one feature tells the others that something happened). Nothing here imports a feature.
"""
