"""The built book as a JupyterHub service, at /services/book/ on the hub.

JupyterHub starts this as a managed service and sets JUPYTERHUB_SERVICE_URL (where
to listen) and JUPYTERHUB_SERVICE_PREFIX (the path the proxy forwards, which is
stripped here). Static files only: the book is the same for everyone, so it needs
no login (`python -m smm_playbook.cohort.book_service FOLDER`).
"""

from __future__ import annotations

import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class _BookHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base's name
        pass  # the hub's proxy already logs requests


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("Usage: python -m smm_playbook.cohort.book_service BUILT_BOOK_FOLDER")
        print("(the folder is _build/html after `make book`).")
        return 2
    url = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8090"))
    handler = type(
        "BookHandler",
        (_BookHandler,),
        {"prefix": os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")},
    )
    server = ThreadingHTTPServer(
        (url.hostname or "127.0.0.1", url.port or 8090),
        functools.partial(handler, directory=args[0]),
    )
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
