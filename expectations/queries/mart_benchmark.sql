-- The frame of the gate's mart_benchmark suite: the mart as published, plus what its own
-- inputs say it should state, re-derived here (not by dbt) with the cut-offs of
-- config/monitor.yaml `benchmark:` ($cut_small, $cut_large):
--   z           = (value - mean of the member states) / their standard deviation (level and
--                 year-on-year change alike)
--   score       = -z when up is good, z when down is good (positive = worse; the indicator's
--                 direction from dim_indicator)
--   class       = the EU Social Scoreboard's seven classes from the two scores, then the
--                 exception rule: a bad relative change is not penalised when the actual
--                 change went the right way
-- `*_error` columns are absolute differences (0 when both sides are empty, 1 when only one is).
with

benchmark as (
    select * from marts.mart_benchmark
),

indicators as (
    select indicator_id, direction as indicator_direction from marts.dim_indicator
),

rederived as (
    select
        benchmark.*,
        indicators.indicator_direction,
        round((value - mean_level) / nullif(sd_level, 0), 6) as z_level_rederived,
        round((change - mean_change) / nullif(sd_change, 0), 6) as z_change_rederived,
        case when indicators.indicator_direction = 'up' then -z_level else z_level end
            as score_level_rederived,
        case when indicators.indicator_direction = 'up' then -z_change else z_change end
            as score_change_rederived,
        case
            when score_level is null or score_change is null then null
            when score_level > $cut_large and score_change > -$cut_large then 'critical_situation'
            when (score_level > $cut_small and score_level <= $cut_large and score_change > -$cut_large)
                or (score_level > -$cut_small and score_level <= $cut_small and score_change > $cut_large)
                then 'to_watch'
            when score_level > $cut_small and score_change <= -$cut_large then 'weak_but_improving'
            when score_level <= -$cut_small and score_change > $cut_large then 'good_but_to_monitor'
            when score_level > -$cut_small and score_level <= $cut_small
                and score_change > -$cut_large and score_change <= $cut_large then 'on_average'
            when (score_level > -$cut_large and score_level <= -$cut_small and score_change <= $cut_large)
                or (score_level > -$cut_small and score_level <= $cut_small and score_change <= -$cut_large)
                then 'better_than_average'
            when score_level <= -$cut_large and score_change <= $cut_large then 'best_performers'
        end as class_rederived,
        score_change >= $cut_large
            and case when indicators.indicator_direction = 'up' then change >= 0 else change <= 0 end
            as exception_rederived
    from benchmark
    left join indicators using (indicator_id)
),

final as (
    select
        rederived.*,
        case
            when class_rederived = 'to_watch' and exception_rederived
                and score_level > -$cut_small and score_level <= $cut_small then 'on_average'
            when class_rederived = 'good_but_to_monitor' and exception_rederived then
                case when score_level <= -$cut_large then 'best_performers' else 'better_than_average' end
            else class_rederived
        end as scoreboard_class_rederived,
        case
            when z_level is null and z_level_rederived is null then 0
            when z_level is null or z_level_rederived is null then 1
            else abs(z_level - z_level_rederived)
        end as z_level_error,
        case
            when z_change is null and z_change_rederived is null then 0
            when z_change is null or z_change_rederived is null then 1
            else abs(z_change - z_change_rederived)
        end as z_change_error,
        case
            when score_level is null and score_level_rederived is null then 0
            when score_level is null or score_level_rederived is null then 1
            else abs(score_level - score_level_rederived)
        end as score_level_error,
        case
            when score_change is null and score_change_rederived is null then 0
            when score_change is null or score_change_rederived is null then 1
            else abs(score_change - score_change_rederived)
        end as score_change_error
    from rederived
)

select * from final
