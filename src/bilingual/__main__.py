"""``python -m bilingual``: the same as the ``bilingual`` command."""

from .cli import main

main()
