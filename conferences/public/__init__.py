"""Everything a reader reaches: the pages (views/), facets and search pages, charts, citations,
share cards, feeds, the sitemap and the exports. Reads through the published() QuerySets only."""
