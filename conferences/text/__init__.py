"""Plain text helpers with no Django and nothing else of Podium: names, word differences, the
alignment of a quote with a statement. Everything above may import them."""
