-- Progress to target, Eurostat SDG / Open SDG method:
--   observed CAGR  = (y_t / y_0) ^ (1 / (t - t_0)) - 1
--   required CAGR  = (target / y_0) ^ (1 / (T - t_0)) - 1
--   ratio R        = d * observed / |required|, d = +1 when up is good, -1 when down is good
-- Direction-only goals use d * observed CAGR against their own thresholds. Count targets
-- (change in number of people vs a base year) become a level: base-year count + change; a
-- series break after that base year makes them not_assessable (counts from both sides of the
-- break), whether met or not. A trend verdict needs progress.min_points comparable yearly
-- values (points_used, from base_year_used to latest_year). A level target met or missed
-- after a series break keeps the break in its reason code, as the trend verdicts do. The mart
-- emits codes only: a verdict's and a reason's words are in dim_vocabulary (verdicts,
-- progress_reasons, whose templates are filled from the row's columns).
with

inputs as (
    select * from {{ ref('int_target_progress_inputs') }}
),

settings as (
    select * from {{ ref('int_settings') }}
),

prepared as (
    select
        inputs.*,
        case
            when kind = 'count_change' then target_base_value + target_value
            else target_value
        end as target_level,
        case
            when kind = 'direction' then target_direction
            when operator in ('>=', '>') then 'up'
            when operator in ('<=', '<') then 'down'
            else indicator_direction
        end as desired_direction
    from inputs
),

growth as (
    select
        prepared.*,
        case when desired_direction = 'up' then 1 else -1 end as d,
        case
            when base_value > 0 and latest_value > 0 and latest_year > base_year_used
                then power(latest_value / base_value, cast(1 as {{ type_double() }}) / (latest_year - base_year_used)) - 1
        end as observed_cagr,
        case
            when kind in ('level', 'count_change') and base_value > 0 and target_level > 0
                and target_year > base_year_used
                then power(target_level / base_value, cast(1 as {{ type_double() }}) / (target_year - base_year_used)) - 1
        end as required_cagr,
        case operator
            when '>=' then latest_value >= target_level
            when '>' then latest_value > target_level
            when '<=' then latest_value <= target_level
            when '<' then latest_value < target_level
            when '=' then latest_value = target_level
        end as target_met
    from prepared
),

rated as (
    select
        growth.*,
        case
            when required_cagr is not null and required_cagr <> 0 and observed_cagr is not null
                then d * observed_cagr / abs(required_cagr)
        end as ratio,
        break_year is not null and requested_base_year is not null as break_after_base
    from growth
),

judged as (
    select
        rated.*,
        cast(settings.min_points as integer) as min_points,
        case
            when kind = 'requested' then 'not_assessable'
            when latest_value is null then 'not_assessable'
            when kind = 'count_change' and target_base_value is null then 'not_assessable'
            when kind = 'count_change' and break_year is not null then 'not_assessable'
            when kind in ('level', 'count_change') and target_met then 'achieved'
            when kind in ('level', 'count_change') and target_year_passed then 'not_achieved'
            when base_year_used is null then 'not_assessable'
            when base_year_used >= latest_year or points_used < settings.min_points then 'not_assessable'
            when observed_cagr is null then 'not_assessable'
            when kind = 'direction' then
                case
                    when d * observed_cagr >= settings.direction_on_track then 'on_track'
                    when d * observed_cagr >= settings.direction_moderate then 'moderate_progress'
                    when d * observed_cagr >= settings.direction_insufficient then 'insufficient_progress'
                    else 'moving_away'
                end
            when ratio is null then 'not_assessable'
            when ratio >= settings.target_on_track then 'on_track'
            when ratio >= settings.target_moderate then 'moderate_progress'
            when ratio >= settings.target_insufficient then 'insufficient_progress'
            else 'moving_away'
        end as verdict,
        -- why, as a code of registry/vocabulary.yaml (progress_reasons); the report
        -- fills its Dutch or English template from this row's columns
        case
            when kind = 'requested' then 'target_requested'
            when latest_value is null then 'no_value_for_geo'
            when kind = 'count_change' and target_base_value is null then 'no_target_base_value'
            when kind = 'count_change' and break_year is not null then 'count_break_after_base'
            when kind in ('level', 'count_change') and target_met
                then case when break_after_base then 'target_met_after_break' end
            when kind in ('level', 'count_change') and target_year_passed
                then case
                    when break_after_base then 'target_year_passed_after_break'
                    else 'target_year_passed'
                end
            when base_year_used is null then 'no_value_since_base_year'
            when base_year_used >= latest_year or points_used < settings.min_points
                then case
                    when break_year is not null then 'too_few_points_after_break'
                    else 'too_few_points'
                end
            when observed_cagr is null then 'growth_undefined'
            when kind <> 'direction' and ratio is null then 'required_growth_undefined'
            when break_year is not null then 'measured_after_break'
        end as reason_code
    from rated
    cross join settings
),

final as (
    select
        target_id,
        indicator_id,
        framework,
        kind,
        geo,
        applies_to,
        operator,
        target_value,
        target_level,
        unit,
        target_year,
        target_year_passed,
        target_base_year,
        requested_base_year,
        base_year_used,
        base_value,
        latest_year,
        latest_value,
        latest_flags,
        break_year,
        points_used,
        min_points,
        desired_direction,
        observed_cagr,
        required_cagr,
        ratio,
        verdict,
        reason_code,
        citation
    from judged
)

select * from final
