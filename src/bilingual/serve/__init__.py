"""``bilingual serve``: a LibreTranslate-compatible HTTP API with our glossaries, number guard
and memory, and a page to review a run and teach the glossary and the memory.

- :mod:`.worker`: a worker process's engines, glossaries and memory, owned by one thread,
  and the batching of concurrent requests into one engine call;
- :mod:`.libre`: the LibreTranslate API (``/translate``, ``/detect``, ``/languages``,
  ``/frontend/settings``): its parameters, limits, status codes and error bodies;
- :mod:`.limits`: request body size, API keys and the per-key rate limit;
- :mod:`.metrics`: Prometheus metrics (one registry per process, or shared files with
  several workers);
- :mod:`.glossaries`: ``GET/PUT /glossaries/{name}``;
- :mod:`.review`: the review page and what it writes;
- :mod:`.app`: the Starlette application; :mod:`.run`: uvicorn, sockets and workers.

Needs the ``serve`` extra (Starlette, uvicorn, python-multipart, prometheus-client),
imported only when the command runs.
"""
