"""What both halves stand on: documents and clusters, readers, cleaning, sentence splitting, terms and
stemming, language id, sentence encoders, Markdown escaping and the user-facing error type."""

__all__: list[str] = []
