"""What several features share, so that none has to lean on another.

``fields`` (JSON list and dict columns), ``names`` (folding, countries, regions), ``csvimport`` (reading
and checking CSV imports; their background jobs and pages are still in membership), ``csvexport``, ``tokens``
(signed links), ``urls`` (absolute addresses, in a request or from cron alike), ``errors`` (the base of
every user-facing refusal), ``operations`` (the one way an edit is saved and audited), ``signals``
(how one feature tells the others that something happened) and ``schema`` (what the migration files build
tables with). Nothing here imports a feature.
"""
