-- Gaps between groups computed from microdata (migration background, disability, education,
-- age, sex, province): each group against its reference, with the standard error of the gap
-- and whether it is significant. Suppressed cells give no gap; low-reliability cells are marked.
with

cells as (
    select * from {{ ref('stg_microdata__lfs_aggregates') }}
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
    select indicator_id, year, geo, breakdown, category as group_category, value,
        standard_error, status, n_unweighted, is_synthetic
    from cells
    where breakdown <> 'total'
    union all
    -- provinces against Flanders
    select indicator_id, year, 'BE2' as geo, 'region' as breakdown, geo as group_category, value,
        standard_error, status, n_unweighted, is_synthetic
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
        g.standard_error as group_se,
        ref.standard_error as reference_se,
        g.n_unweighted as group_n,
        ref.n_unweighted as reference_n,
        g.status as group_status,
        ref.status as reference_status,
        g.is_synthetic or ref.is_synthetic as is_synthetic
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
        end as reliability
    from paired
),

final as (
    select
        measured.*,
        case when reliability <> 'suppressed' then {{ round_double("group_value - reference_value", 6) }} end
            as gap_pp,
        -- independent-samples approximation: conservative when the group is part of the reference
        case when reliability <> 'suppressed' then {{ round_double("sqrt(power(group_se, 2) + power(reference_se, 2))", 6) }} end
            as gap_se,
        case when reliability <> 'suppressed'
            then abs(group_value - reference_value) > 1.959964 * sqrt(power(group_se, 2) + power(reference_se, 2))
        end as is_significant
    from measured
)

select * from final
