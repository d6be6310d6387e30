"""HTTP behaviour shared by the API views: pagination, throttling, conditional GET."""

import hashlib
from calendar import timegm

from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework import throttling
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def bad_request(field: str, message: str) -> ValidationError:
    """The API's one shape for a bad query value: {"errors": {field: [message]}}, status 400."""
    return ValidationError({"errors": {field: [message]}})


class Pagination(PageNumberPagination):
    """`page` (from 1) and `page_size` (default 25, at most 100; larger asks get 100).

    A page that does not exist, or a page size that is not a positive whole number, is a 400
    naming the parameter, as /statements/ answers 400 for a page it does not have."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        try:
            size = int(raw)
            if size < 1:
                raise ValueError
        except ValueError:
            raise bad_request("page_size", f"“{raw}” is not a positive whole number.") from None
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        raw = request.query_params.get(self.page_query_param) or "1"
        try:
            self.page = paginator.page(raw)
        except InvalidPage:
            pages = paginator.num_pages
            raise bad_request(
                "page", f"There is no page “{raw}”: the results have {pages} page(s)."
            ) from None
        return list(self.page)


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle with its rate read per request from PODIUM_API_ANON_RATE
    (DRF binds THROTTLE_RATES at import, which settings overrides in tests would not reach).
    An empty rate switches throttling off."""

    def get_rate(self):
        return getattr(settings, "PODIUM_API_ANON_RATE", None) or None


def timestamp(moment) -> int | None:
    return int(timegm(moment.utctimetuple())) if moment else None


def newest(*moments):
    present = [moment for moment in moments if moment]
    return max(present) if present else None


class ConditionalGetMixin:
    """ETag (a hash of the JSON body) and Last-Modified (set by the view as `last_modified`) on
    every 200 answer to GET or HEAD; a matching If-None-Match or If-Modified-Since gets a 304.

    The ETag follows the body, so it changes with anything a client could see (a renamed topic,
    a deleted statement); Last-Modified is the newest `updated_at` of the statements and
    conferences concerned, so If-None-Match is the more exact of the two."""

    last_modified = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        modified = timestamp(self.last_modified)
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        return get_conditional_response(
            request._request, etag=etag, last_modified=modified, response=response
        )
