"""Running Podium: the page cache and its invalidation, database routing to read replicas, the
middleware that keeps a failure from losing work, the client's address behind proxies, and the
JSON-lines backup. Imports models/ and text/ only."""
