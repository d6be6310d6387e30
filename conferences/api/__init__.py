"""Podium's read-only JSON API under /api/v1/ (issue 5).

Every list takes the query parameters of /statements/ through the one StatementFilter, so a
researcher's filter means the same on the page, in the API and in the exports. Documented at
/api/v1/docs/ from the OpenAPI schema at /api/v1/schema/.
"""
