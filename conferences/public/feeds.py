"""Atom feeds of statements: the latest, per speaker, per topic, per country, and for any
/statements/ query (through the one StatementFilter, so a feed lists what the page lists).

Every feed reads through models.lists.published_statements(): drafts never leak, and the
speaker and conference come in the same query (no N+1).
"""

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django_countries import countries

from ..filters import ORDERINGS, StatementFilter
from ..models import Speaker, Statement, Topic
from ..models.lists import published_statements
from .citations import collapse, long_date, truncate_words

FEED_SIZE = 50
TITLE_WORDS_LIMIT = 80  # characters of the quote shown in an entry's title


class StatementAtomFeed(Atom1Feed):
    """Atom with the full text of each statement as the entry's <content>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})


def entry_title(statement) -> str:
    """Speaker, date and the first words: Sergey Lavrov, 14 January 2022: I think this…"""
    words = truncate_words(collapse(statement.text), TITLE_WORDS_LIMIT)
    return f"{statement.speaker.name}, {long_date(statement.conference.date)}: {words}"


class StatementFeed(Feed):
    """The latest published statements; subclasses narrow the statements with get_object."""

    feed_type = StatementAtomFeed
    title = "Podium: latest statements"
    subtitle = "The latest statements in Podium, an archive of diplomatic press conferences."
    author_name = "Podium"

    def link(self, obj=None):
        return reverse("conferences:statements")

    def statements(self, obj):
        return published_statements()

    def items(self, obj=None):
        return self.statements(obj).order_by(*ORDERINGS["newest"])[:FEED_SIZE]

    def item_title(self, item):
        return entry_title(item)

    def item_description(self, item):
        return None  # the full text goes into <content>, see item_extra_kwargs

    def item_extra_kwargs(self, item):
        # Escaped, with line breaks kept: the same rendering as the permalink page.
        return {"content": linebreaksbr(item.text, autoescape=True)}

    def item_author_name(self, item):
        return item.speaker.name

    def item_updateddate(self, item):
        return item.updated_at


class SpeakerFeed(StatementFeed):
    def get_object(self, request, slug):
        published = Statement.objects.published().filter(speaker=OuterRef("pk"))
        return get_object_or_404(Speaker.objects.filter(Exists(published)), slug=slug)

    def title(self, speaker):
        return f"Podium: statements by {speaker.name}"

    def subtitle(self, speaker):
        return f"The latest statements by {speaker.name} in Podium."

    def link(self, speaker):
        return speaker.get_absolute_url()

    def statements(self, speaker):
        return published_statements().filter(speaker=speaker)


class TopicFeed(StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"Podium: statements on {topic.name}"

    def subtitle(self, topic):
        return f"The latest statements on {topic.name} (sub-topics included) in Podium."

    def link(self, topic):
        return topic.get_absolute_url()

    def statements(self, topic):
        return published_statements().for_topic(topic)


class CountryFeed(StatementFeed):
    """Statements by speakers of one country, named by its ISO 3166-1 alpha-2 code."""

    def get_object(self, request, code):
        code = code.upper()
        if code not in countries:
            raise Http404(f"No country has the code {code!r}.")
        return code

    def title(self, code):
        return f"Podium: statements by speakers from {countries.name(code)}"

    def subtitle(self, code):
        return f"The latest statements by speakers from {countries.name(code)} in Podium."

    def link(self, code):
        return f"{reverse('conferences:statements')}?country={code}"

    def statements(self, code):
        return published_statements().filter(speaker__country=code)


class FilteredFeed(StatementFeed):
    """/statements/feed/?<query>: the first 50 statements of /statements/?<query>, in its order.

    A bad filter value answers 400 with the reasons, as the page does."""

    title = "Podium: statements matching a filter"

    def __call__(self, request, *args, **kwargs):
        statement_filter = StatementFilter(request.GET, queryset=published_statements())
        if not statement_filter.is_valid():
            reasons = "; ".join(
                f"{field}: {' '.join(errors)}"
                for field, errors in statement_filter.error_messages().items()
            )
            return HttpResponseBadRequest(
                f"Some of the filters could not be used: {reasons}",
                content_type="text/plain; charset=utf-8",
            )
        request.statement_filter = statement_filter
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request

    def subtitle(self, request):
        return f"The latest statements matching /statements/?{self._query(request)}"

    def feed_url(self, request):
        return request.get_full_path()

    def link(self, request):
        query = self._query(request)
        return reverse("conferences:statements") + (f"?{query}" if query else "")

    def items(self, request):
        return request.statement_filter.qs[:FEED_SIZE]

    @staticmethod
    def _query(request) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        return params.urlencode()


latest_feed = StatementFeed()
speaker_feed = SpeakerFeed()
topic_feed = TopicFeed()
country_feed = CountryFeed()
filtered_feed = FilteredFeed()
