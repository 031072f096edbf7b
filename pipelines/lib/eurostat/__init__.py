"""Eurostat's dissemination API: the live client (`--source live`) and release detection.

live_fetcher()                 -> the hook pipelines.lib.sources.acquire calls per dataset
check_release(dataset)         -> ReleaseInfo: changed at Eurostat since our last download?
"""

from pipelines.lib.eurostat.http import FetchError
from pipelines.lib.eurostat.live import live_fetcher
from pipelines.lib.eurostat.release import ReleaseInfo, check_release

__all__ = ["FetchError", "ReleaseInfo", "check_release", "live_fetcher"]
