"""Plain text helpers."""


def short_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, as the truncatechars filter cuts plain text."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
