"""/api/v1/docs/: the OpenAPI schema as a plain server-side page.

drf-spectacular's Swagger and Redoc views load JavaScript from a CDN and run inline scripts,
which Podium's CSP forbids; this page needs neither and works without JavaScript."""

from functools import cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "head", "post", "put", "patch", "delete")


@cache
def schema() -> dict:
    """The generated schema; it depends only on the code, so once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def type_of(spec: dict) -> str:
    """A short human type: `string (date)`, `Speaker`, `array of integer`, `a | b | c`."""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "allOf" in spec:
        return " & ".join(type_of(part) for part in spec["allOf"])
    if "oneOf" in spec:
        return " | ".join(type_of(part) for part in spec["oneOf"])
    if "enum" in spec:
        return " | ".join(str(value) for value in spec["enum"] if value not in ("", None))
    kind = spec.get("type", "object")
    if kind == "array":
        return f"array of {type_of(spec.get('items', {}))}"
    return f"{kind} ({spec['format']})" if "format" in spec else kind


def endpoints(document: dict) -> list[dict]:
    rows = []
    for path, operations in document.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if not operation:
                continue
            response = operation.get("responses", {}).get("200", {})
            body = response.get("content", {}).get("application/json", {}).get("schema", {})
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "returns": type_of(body) if body else "",
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "type": type_of(parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                }
            )
    return rows


def components(document: dict) -> list[dict]:
    models = []
    for name, spec in document.get("components", {}).get("schemas", {}).items():
        if "properties" not in spec:
            continue  # enums are spelled out where they are used
        fields = [
            {
                "name": field,
                "type": type_of(prop),
                "nullable": prop.get("nullable", False),
                "description": prop.get("description", ""),
            }
            for field, prop in spec["properties"].items()
        ]
        models.append({"name": name, "fields": fields})
    return models


def api_docs(request):
    document = schema()
    context = {
        "info": document.get("info", {}),
        "endpoints": endpoints(document),
        "models": components(document),
    }
    return render(request, "api/docs.html", context)
