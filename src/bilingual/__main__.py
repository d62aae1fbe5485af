"""``python -m bilingual``: the same as the ``bilingual`` command."""

from .cli import main

if __name__ == "__main__":
    main()
