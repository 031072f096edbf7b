"""When Eurostat data is refreshed: daily after the 11:00 and 23:00 CET releases."""

import dagster as dg

LIVE = {"resources": {"source": {"config": {"spec": "live"}}}}

eurostat_after_release = dg.ScheduleDefinition(
    name="eurostat_after_release",
    job_name="refresh",
    cron_schedule="30 11,23 * * *",
    execution_timezone="Europe/Brussels",
    run_config=LIVE,
    tags={"monitor/source": "live", "monitor/trigger": "schedule"},
    description="Live refresh half an hour after Eurostat's 11:00 and 23:00 CET releases; "
    "datasets whose release check shows no change create no new vintage.",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
