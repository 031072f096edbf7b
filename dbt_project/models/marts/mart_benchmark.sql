-- Flanders and the member states classified with the EU Social Scoreboard method (Joint
-- Employment Report): seven classes from the level score and the change score (positive =
-- worse), cut-offs from config/monitor.yaml, plus the exception rule: a bad relative change is
-- not penalised when the actual change went the right way (exception_applied marks the rows
-- whose class it changed). A change that spans a series break (yoy_across_break: a `b` flag or
-- a registry-declared break in that year) is scored and classified like any other, as the JER
-- does with its break footnotes, and carries the mark so that it is never read silently.
with

scores as (
    select * from {{ ref('int_benchmark_scores') }}
),

settings as (
    select cut_small, cut_large from {{ ref('int_settings') }}
),

neighbours as (
    select
        indicator_id,
        year,
        max(value) filter (where geo = 'NL') as value_nl,
        max(value) filter (where geo = 'DE') as value_de,
        max(value) filter (where geo = 'FR') as value_fr,
        max(value) filter (where geo = 'LU') as value_lu,
        avg(value) filter (where geo in ('SE', 'DK', 'FI')) as mean_nordic,
        max(value) filter (where geo = 'EU27_2020') as value_eu27
    from scores
    group by indicator_id, year
),

classified as (
    select
        scores.*,
        settings.cut_small,
        settings.cut_large,
        case
            when score_level is null or score_change is null then null
            when score_level > cut_large and score_change > -cut_large then 'critical_situation'
            when (score_level > cut_small and score_level <= cut_large and score_change > -cut_large)
                or (score_level > -cut_small and score_level <= cut_small and score_change > cut_large)
                then 'to_watch'
            when score_level > cut_small and score_change <= -cut_large then 'weak_but_improving'
            when score_level <= -cut_small and score_change > cut_large then 'good_but_to_monitor'
            when score_level > -cut_small and score_level <= cut_small
                and score_change > -cut_large and score_change <= cut_large then 'on_average'
            when (score_level > -cut_large and score_level <= -cut_small and score_change <= cut_large)
                or (score_level > -cut_small and score_level <= cut_small and score_change <= -cut_large)
                then 'better_than_average'
            when score_level <= -cut_large and score_change <= cut_large then 'best_performers'
        end as class_before_exception,
        score_change >= cut_large
            and case when direction = 'up' then change >= 0 else change <= 0 end as exception_applies
    from scores
    cross join settings
),

softened as (
    select
        classified.*,
        case
            when class_before_exception = 'to_watch' and exception_applies
                and score_level > -cut_small
                and score_level <= cut_small
                then 'on_average'
            when class_before_exception = 'good_but_to_monitor' and exception_applies
                then case when score_level <= -cut_large
                          then 'best_performers' else 'better_than_average' end
            else class_before_exception
        end as scoreboard_class
    from classified
),

final as (
    select
        softened.indicator_id,
        softened.geo,
        softened.year,
        softened.value,
        softened.flags,
        softened.change,
        softened.change_unit,
        softened.yoy_across_break,
        softened.n_members,
        softened.mean_level,
        softened.sd_level,
        softened.mean_change,
        softened.sd_change,
        softened.z_level,
        softened.z_change,
        softened.score_level,
        softened.score_change,
        softened.rank_among_members,
        softened.scoreboard_class,
        softened.class_before_exception,
        -- true only where the rule changed the class
        coalesce(softened.scoreboard_class <> softened.class_before_exception, false) as exception_applied,
        -- why there is no class, as a code of the vocabulary list benchmark_reasons
        case
            when softened.n_members < 2 then 'too_few_members'
            when softened.z_change is null then 'no_previous_year'
            when softened.z_level is null then 'members_equal'
        end as not_classified_reason_code,
        neighbours.value_nl,
        neighbours.value_de,
        neighbours.value_fr,
        neighbours.value_lu,
        neighbours.mean_nordic,
        neighbours.value_eu27
    from softened
    left join neighbours using (indicator_id, year)
)

select * from final
