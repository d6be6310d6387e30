"""One JSON object per log line, for the records of django.request (every 4xx and 5xx answer).

A log collector reads each line on its own: the traceback is one escaped string field, and
the output is pure ASCII, so no character in a request or an exception can break a line.
"""

import json
import logging
import traceback
from datetime import UTC, datetime


def qualified_name(cls: type) -> str:
    """The class name a log reader searches for: ZeroDivisionError for a built-in,
    django.db.utils.OperationalError for any other."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, status_code, method, path, query, exception_type,
    exception_message and traceback; the request fields are null when the record has none."""

    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None)
        exc_type, exc_value, exc_traceback = record.exc_info or (None, None, None)
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "status_code": getattr(record, "status_code", None),
            "method": getattr(request, "method", None),
            "path": getattr(request, "path", None),
            "query": getattr(request, "META", {}).get("QUERY_STRING") if request else None,
            "exception_type": qualified_name(exc_type) if exc_type else None,
            "exception_message": str(exc_value) if exc_type else None,
            "traceback": (
                "".join(traceback.format_exception(exc_type, exc_value, exc_traceback))
                if exc_type
                else None
            ),
        }
        # default=str: a field of an unexpected type is written as text, never lost to an error.
        return json.dumps(entry, default=str)
