"""Monthly cell meetings and everything around them."""

__all__: list[str] = []
