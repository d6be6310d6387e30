"""Turning pasted text into statements.

parse (and its helpers) is pure Python and knows nothing of Django; resolve maps names and
keywords onto the database; writer saves one import inside one transaction.
"""
