"""Pages of cell meetings, one module per kind of work (``recording``, ``ranking``, ``planning``).

Every object is loaded through the scoping mechanism (``lookups``): outside scope is 404.
"""
