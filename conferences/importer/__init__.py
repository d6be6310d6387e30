"""Turning pasted text into statements.

parse/ is pure Python and knows nothing of Django (nor of the rest of Podium): text in, turns
and quotes out. The rest touches the database: resolve maps names and keywords onto speakers
and topics, matching finds quotes the archive already holds, service builds the preview and the
plan the admin and the shell share, and writer saves one import inside one transaction.
"""
