-- Gaps between groups computed from microdata (migration background, disability, education,
-- age, sex, province): each group against its reference, with the standard error of the gap,
-- its 95% interval and whether it is significant. Suppressed cells give no gap; low-reliability
-- cells are marked.
-- Honest significance (docs/microdata.md): the standard error used for a test is the cell's
-- own when the file had strata and PSUs (significance_method design_based), the records-based
-- one times sqrt(deff_kish) when configured (records_inflated_deff_kish), and none when the
-- variance ignores the design (not_assessed: interval, is_significant and a standard-error
-- trend stay empty). gap_se = sqrt(se_group^2 + se_reference^2) treats the two cells as
-- independent (conservative when the group is part of its reference).
-- Trend: gap_size_change = |gap| - |gap gaps.trend_years earlier|; narrowing / widening when
-- it exceeds 1.96 x sqrt(gap_se^2 + gap_se_base^2) (trend_basis standard_error), else, without
-- standard errors, the minimum detectable change of the LFS at that geography level
-- (min_detectable_change); otherwise no_clear_change.
with

cells as (
    select
        *,
        case significance_method
            when 'design_based' then standard_error
            when 'records_inflated_deff_kish' then standard_error * sqrt(deff_kish)
        end as test_se
    from {{ ref('stg_microdata__lfs_aggregates') }}
),

settings as (
    select * from {{ ref('int_settings') }}
),

geographies as (
    select geo, level as geo_level from {{ ref('stg_registry__geographies') }}
),

detectable as (
    select * from {{ ref('int_gap_min_detectable_change') }}
    where survey = 'EU-LFS'
),

reference_categories as (
    select * from (
        values
            ('sex', 'M'),
            ('age_band', 'total'),
            ('education', 'total'),
            ('country_of_birth', 'NAT'),
            ('disability', 'N'),
            ('region', 'BE2')
    ) as r (breakdown, reference_category)
),

groups as (
    select indicator_id, year, geo, breakdown, category as group_category, value, test_se,
        deff_kish, variance_method, significance_method, status, is_synthetic, source_file
    from cells
    where breakdown <> 'total'
    union all
    -- provinces against Flanders
    select indicator_id, year, 'BE2' as geo, 'region' as breakdown, geo as group_category, value,
        test_se, deff_kish, variance_method, significance_method, status, is_synthetic,
        source_file
    from cells
    where breakdown = 'total' and geo <> 'BE2'
),

paired as (
    select
        g.indicator_id,
        g.year,
        g.geo,
        g.breakdown,
        g.group_category,
        r.reference_category,
        g.value as group_value,
        ref.value as reference_value,
        g.test_se as group_se,
        ref.test_se as reference_se,
        g.deff_kish as group_deff_kish,
        ref.deff_kish as reference_deff_kish,
        g.variance_method,
        g.significance_method,
        g.status as group_status,
        ref.status as reference_status,
        g.is_synthetic or ref.is_synthetic as is_synthetic,
        g.source_file
    from groups as g
    inner join reference_categories as r using (breakdown)
    inner join cells as ref
        on ref.indicator_id = g.indicator_id
        and ref.year = g.year
        and ref.geo = g.geo
        and (
            (r.reference_category = 'total' or g.breakdown = 'region')
                and ref.breakdown = 'total'
            or ref.breakdown = g.breakdown and ref.category = r.reference_category
        )
    where g.group_category <> r.reference_category
),

measured as (
    select
        paired.*,
        case
            when group_status = 'suppressed' or reference_status = 'suppressed' then 'suppressed'
            when group_status = 'low_reliability' or reference_status = 'low_reliability'
                then 'low_reliability'
            else 'reliable'
        end as reliability,
        case
            when group_status <> 'suppressed' and reference_status <> 'suppressed'
                then round(group_value - reference_value, 6)
        end as gap_pp,
        case
            when group_status <> 'suppressed' and reference_status <> 'suppressed'
                then round(sqrt(group_se * group_se + reference_se * reference_se), 6)
        end as gap_se
    from paired
),

trended as (
    select
        m.*,
        round(m.gap_pp - 1.959964 * m.gap_se, 6) as gap_ci_low,
        round(m.gap_pp + 1.959964 * m.gap_se, 6) as gap_ci_high,
        case when m.gap_se is not null then abs(m.gap_pp) > 1.959964 * m.gap_se end
            as is_significant,
        earlier.year as gap_base_year,
        earlier.gap_pp as gap_pp_base,
        round(abs(m.gap_pp) - abs(earlier.gap_pp), 6) as gap_size_change,
        round(sqrt(m.gap_se * m.gap_se + earlier.gap_se * earlier.gap_se), 6) as gap_change_se,
        detectable.min_detectable_change_pp
    from measured as m
    cross join settings
    left join geographies on geographies.geo = m.geo
    left join detectable on detectable.geo_level = geographies.geo_level
    left join measured as earlier
        on earlier.indicator_id = m.indicator_id
        and earlier.breakdown = m.breakdown
        and earlier.group_category = m.group_category
        and earlier.geo = m.geo
        and earlier.year = m.year - settings.gap_trend_years
),

final as (
    select
        trended.*,
        case
            when gap_size_change is null then null
            when gap_change_se is not null then 'standard_error'
            else 'min_detectable_change'
        end as trend_basis,
        case
            when gap_size_change is null then null
            when gap_change_se is not null and gap_size_change < -1.959964 * gap_change_se
                then 'narrowing'
            when gap_change_se is not null and gap_size_change > 1.959964 * gap_change_se
                then 'widening'
            when gap_change_se is not null then 'no_clear_change'
            when min_detectable_change_pp is null then null
            when gap_size_change < -min_detectable_change_pp then 'narrowing'
            when gap_size_change > min_detectable_change_pp then 'widening'
            else 'no_clear_change'
        end as gap_trend
    from trended
)

select * from final
