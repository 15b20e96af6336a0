from cells.demo import register_demo_extension  # noqa: F401
