-- The frame of the gate's mart_target_progress suite: the mart as published, plus what its
-- own inputs say it should state, re-derived here (not by dbt) with the thresholds of
-- config/monitor.yaml `progress:` ($-parameters, filled in by pipelines/lib/gate/suites.py):
--   observed CAGR = (latest / base) ^ (1 / (latest_year - base_year_used)) - 1
--   required CAGR = (target_level / base) ^ (1 / (target_year - base_year_used)) - 1
--   ratio         = d * observed / |required|   (d = +1 when up is good, -1 when down is good)
--   verdict       = achieved / not_achieved from the target and its year, else the band of
--                   the ratio (direction-only goals: of d * observed CAGR)
-- `*_error` columns are relative differences (0 when both sides are empty, 1 when only one is).
with

progress as (
    select * from marts.mart_target_progress
),

rederived as (
    select
        progress.*,
        case when desired_direction = 'up' then 1 else -1 end as d,
        case
            when base_value > 0 and latest_value > 0 and latest_year > base_year_used
                then power(latest_value / base_value, 1.0 / (latest_year - base_year_used)) - 1
        end as observed_cagr_rederived,
        case
            when kind in ('level', 'count_change') and base_value > 0 and target_level > 0
                and target_year > base_year_used
                then power(target_level / base_value, 1.0 / (target_year - base_year_used)) - 1
        end as required_cagr_rederived,
        case operator
            when '>=' then latest_value >= target_level
            when '>' then latest_value > target_level
            when '<=' then latest_value <= target_level
            when '<' then latest_value < target_level
            when '=' then latest_value = target_level
        end as target_met
    from progress
),

judged as (
    select
        rederived.*,
        case
            when required_cagr is not null and required_cagr <> 0 and observed_cagr is not null
                then d * observed_cagr / abs(required_cagr)
        end as ratio_rederived,
        case
            when verdict = 'achieved' then
                case when target_met then 'achieved' else 'target not met' end
            when verdict = 'not_achieved' then
                case
                    when not target_met and target_year_passed then 'not_achieved'
                    else 'target met or its year not passed'
                end
            when verdict not in ('on_track', 'moderate_progress', 'insufficient_progress', 'moving_away')
                then verdict  -- not_assessable: its reason is checked apart
            when kind in ('level', 'count_change') and target_met then 'achieved'
            when kind in ('level', 'count_change') and target_year_passed then 'not_achieved'
            when kind = 'direction' then
                case
                    when d * observed_cagr >= $direction_on_track then 'on_track'
                    when d * observed_cagr >= $direction_moderate then 'moderate_progress'
                    when d * observed_cagr >= $direction_insufficient then 'insufficient_progress'
                    when d * observed_cagr < $direction_insufficient then 'moving_away'
                end
            when ratio >= $target_on_track then 'on_track'
            when ratio >= $target_moderate then 'moderate_progress'
            when ratio >= $target_insufficient then 'insufficient_progress'
            when ratio < $target_insufficient then 'moving_away'
        end as verdict_rederived
    from rederived
),

final as (
    select
        judged.*,
        case
            when observed_cagr is null and observed_cagr_rederived is null then 0
            when observed_cagr is null or observed_cagr_rederived is null then 1
            else abs(observed_cagr - observed_cagr_rederived) / greatest(1, abs(observed_cagr_rederived))
        end as observed_cagr_error,
        case
            when required_cagr is null and required_cagr_rederived is null then 0
            when required_cagr is null or required_cagr_rederived is null then 1
            else abs(required_cagr - required_cagr_rederived) / greatest(1, abs(required_cagr_rederived))
        end as required_cagr_error,
        case
            when ratio is null and ratio_rederived is null then 0
            when ratio is null or ratio_rederived is null then 1
            else abs(ratio - ratio_rederived) / greatest(1, abs(ratio_rederived))
        end as ratio_error,
        target_id || '@' || coalesce(geo, '-') as target_geo
    from judged
)

select * from final
