"""Uploaded files, one way for the whole site.

- ``content``: what a file really is, judged by its bytes against its extension (a ``.pdf``
  that is a PNG, or a ``.docx`` that is no Office document, is refused); every form that
  takes files checks through it, and the detected type is what is stored and served.
- ``limits``: the size of a request's body refused from its ``Content-Length`` before the
  body is read (``@accepts_uploads`` marks the views that take files; every other view has
  the small default).
- ``downloads``: the one response that serves a stored file (attachment, nosniff, no-store).
"""
