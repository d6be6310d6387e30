"""sitemap.xml: published conferences and statements, and the speakers and topics that have
published statements. /sitemap.xml is an index of one sitemap per section, each split into pages
of at most 10,000 URLs, so the archive can grow past the protocol's 50,000 URLs per file."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery

from ..models import Conference, Speaker, Statement, Topic

PAGE_LIMIT = 10_000


class ConferenceSitemap(Sitemap):
    limit = PAGE_LIMIT

    def items(self):
        return Conference.objects.published().order_by("date", "pk")

    def lastmod(self, conference):
        return conference.updated_at


class StatementSitemap(Sitemap):
    limit = PAGE_LIMIT

    def items(self):
        # Only what the URL and lastmod need: the permalink takes the public id alone.
        return Statement.objects.published().only("public_id", "updated_at").order_by("pk")

    def lastmod(self, statement):
        return statement.updated_at


class SpeakerSitemap(Sitemap):
    limit = PAGE_LIMIT

    def items(self):
        published = Conference.published_q("statements__conference")
        return (
            Speaker.objects.annotate(last=Max("statements__updated_at", filter=published))
            .filter(last__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, speaker):
        return speaker.last


class TopicSitemap(Sitemap):
    """Topics whose page lists statements: tagged directly or through a sub-topic."""

    limit = PAGE_LIMIT

    def items(self):
        # The topic's family is two levels out: Topic -> latest statement -> family.
        family = Topic.objects.family(OuterRef(OuterRef("pk")))
        latest = (
            Statement.objects.published()
            .filter(topics__in=family)
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            Topic.objects.annotate(last=Subquery(latest))
            .filter(last__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, topic):
        return topic.last


SITEMAPS = {
    "conferences": ConferenceSitemap,
    "statements": StatementSitemap,
    "speakers": SpeakerSitemap,
    "topics": TopicSitemap,
}
