-- Levels and year-on-year changes standardised against the EU member states (unweighted
-- mean, population standard deviation), EU Social Scoreboard method. Scores are signed so
-- that positive = worse, whatever the indicator's direction. yoy_across_break marks a change
-- whose year has a series break (a `b` flag or a registry-declared break): the two values
-- compared come from either side of it.
with

indicators as (
    select indicator_id, direction, unit from {{ ref('dim_indicator') }}
),

geos as (
    select * from {{ ref('dim_geo') }}
),

annual as (
    select indicator_id, geo, period_year as year, value, flags, is_series_break
    from {{ ref('fct_indicator_values') }}
    where breakdown = 'total'
      and value is not null
      and period = cast(period_year as varchar)
),

with_change as (
    select
        annual.*,
        indicators.direction,
        indicators.unit,
        case
            when indicators.unit in ('pct', 'pp') then annual.value - previous.value
            else (annual.value / nullif(previous.value, 0) - 1) * 100
        end as change,
        case when indicators.unit in ('pct', 'pp') then 'pp' else 'pct_change' end as change_unit,
        coalesce(annual.is_series_break, false) and previous.year is not null as yoy_across_break
    from annual
    inner join indicators using (indicator_id)
    left join annual as previous
        on previous.indicator_id = annual.indicator_id
        and previous.geo = annual.geo
        and previous.year = annual.year - 1
    -- counts of people depend on country size: only rates and per-inhabitant values compare
    where indicators.unit not in ('thousand_persons', 'persons', 'count', 'eur')
),

members as (
    select with_change.*
    from with_change
    inner join geos using (geo)
    where geos.is_eu_member
),

stats as (
    select
        indicator_id,
        year,
        count(value) as n_members,
        avg(value) as mean_level,
        stddev_pop(value) as sd_level,
        count(change) as n_members_change,
        avg(change) as mean_change,
        stddev_pop(change) as sd_change
    from members
    group by indicator_id, year
),

compared as (
    select with_change.*
    from with_change
    inner join geos using (geo)
    where geos.is_eu_member or with_change.geo in ('BE2', 'EU27_2020')
),

scored as (
    select
        compared.indicator_id,
        compared.geo,
        compared.year,
        compared.value,
        compared.flags,
        compared.change,
        compared.change_unit,
        compared.yoy_across_break,
        compared.direction,
        stats.n_members,
        stats.mean_level,
        stats.sd_level,
        stats.n_members_change,
        stats.mean_change,
        stats.sd_change,
        round((compared.value - stats.mean_level) / nullif(stats.sd_level, 0), 6) as z_level,
        round((compared.change - stats.mean_change) / nullif(stats.sd_change, 0), 6) as z_change,
        1 + (
            select count(*) from members
            where members.indicator_id = compared.indicator_id
              and members.year = compared.year
              and members.geo <> compared.geo
              and case when compared.direction = 'up' then members.value > compared.value
                       else members.value < compared.value end
        ) as rank_among_members
    from compared
    inner join stats using (indicator_id, year)
),

final as (
    select
        scored.*,
        case when direction = 'up' then -z_level else z_level end as score_level,
        case when direction = 'up' then -z_change else z_change end as score_change
    from scored
)

select * from final
