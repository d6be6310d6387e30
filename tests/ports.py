"""A loopback port for a test to point something at where nothing listens."""

import socket


def unused_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: bound by the system, then let go, so a
    connection to it is refused (until something else happens to take it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
