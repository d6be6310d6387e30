"""The benchmarks' one database helper: create the PostgreSQL database a URL names if missing."""


def create_database_if_missing(url: str) -> None:
    """Create the database DATABASE_URL names (PostgreSQL only); other engines need nothing."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"Created database {config['NAME']}.")
    connection.close()
