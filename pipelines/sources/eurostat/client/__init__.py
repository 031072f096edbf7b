"""Eurostat's dissemination API: the live client (`--source live`) and release detection.

live_fetcher()                 -> the live fetch of the Eurostat source, per dataset
check_release(dataset)         -> ReleaseInfo: changed at Eurostat since our last download?
"""

from pipelines.sources.eurostat.client.http import FetchError
from pipelines.sources.eurostat.client.live import live_fetcher
from pipelines.sources.eurostat.client.release import ReleaseInfo, check_release

__all__ = ["FetchError", "ReleaseInfo", "check_release", "live_fetcher"]
