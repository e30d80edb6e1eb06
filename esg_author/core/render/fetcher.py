"""The only way WeasyPrint may load a resource during a render.

Served: files inside the template folder, the project's own assets (project-asset:NAME) and
data: URLs. Refused, and reported as a finding: everything else, above all the network and
other local files, so a template or a text can never pull in what the user did not put there.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import NamedTuple, NoReturn
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from esg_author.core.model import Asset
from esg_author.core.render.anchors import PDF_ASSET_SCHEME

logger = logging.getLogger(__name__)


class Refusal(NamedTuple):
    """A request the fetcher turned down; `reason` is one of REFUSAL_REASONS."""

    url: str
    reason: str


REFUSAL_REASONS = {
    "no-asset": "no such asset in the project",
    "not-allowed": "only the template folder and project assets may be loaded",
    "outside": "outside the template folder",
    "not-found": "file not found in the template folder",
}


class RestrictedFetcher(URLFetcher):
    def __init__(self, allowed_folders: list[Path], assets: dict[str, Asset]) -> None:
        super().__init__(allowed_protocols=["file", "data", PDF_ASSET_SCHEME.rstrip(":")])
        self.allowed_folders = [folder.resolve() for folder in allowed_folders]
        self.assets = assets
        self.refused: list[Refusal] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith(PDF_ASSET_SCHEME):
            name = unquote(url.removeprefix(PDF_ASSET_SCHEME))
            asset = self.assets.get(name)
            if asset is None:
                return self._refuse(url, "no-asset")
            return URLFetcherResponse(url, asset.data, {"Content-Type": asset.media_type})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme != "file":
            return self._refuse(url, "not-allowed")
        path = Path(url2pathname(unquote(parsed.path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_folders):
            return self._refuse(url, "outside")
        if not path.is_file():
            return self._refuse(url, "not-found")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> NoReturn:
        self.refused.append(Refusal(url, reason))
        # WeasyPrint logs this text with its own error; pdf.py recognises it by "refused".
        raise ValueError(f"refused {url}: {REFUSAL_REASONS[reason]}")
