//! Shorthands for entering tuples into relations, and the gadgets every chip shares.

use num_traits::One;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, Relation, RelationEntry};

use super::columns::columns;
use super::relations::Relations;

/// `2^16`, the limb base of 32-bit words.
pub(crate) const LIMB: u32 = 1 << 16;

/// Uses `values` in `relation`, `multiplicity` times.
pub(crate) fn use_tuple<E: EvalAtRow, R: Relation<E::F, E::EF>>(
    eval: &mut E,
    relation: &R,
    multiplicity: E::F,
    values: &[E::F],
) {
    eval.add_to_relation(RelationEntry::new(relation, multiplicity.into(), values));
}

/// Yields `values` in `relation`, `multiplicity` times.
pub(crate) fn yield_tuple<E: EvalAtRow, R: Relation<E::F, E::EF>>(
    eval: &mut E,
    relation: &R,
    multiplicity: E::F,
    values: &[E::F],
) {
    eval.add_to_relation(RelationEntry::new(relation, (-multiplicity).into(), values));
}

/// Uses `value < 2^bits` from the range tables.
pub(crate) fn range_check<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    multiplicity: E::F,
    bits: u32,
    value: E::F,
) {
    use_tuple(eval, &relations.range, multiplicity, &[E::F::from(BaseField::from(bits)), value]);
}

/// `lo + 2^16 hi` as a field element.
pub(crate) fn limbs<F: Clone + std::ops::Add<Output = F> + std::ops::Mul<BaseField, Output = F>>(
    word: &[F; 2],
) -> F {
    word[0].clone() + word[1].clone() * BaseField::from(LIMB)
}

columns! {
    /// One access to a memory cell (register or RAM word): when the cell was last written, and the
    /// decomposition of `ts - prev_ts - 1` that proves it was before now.
    pub(crate) struct AccessCols {
        prev_ts: T,
        ts_diff: [2],
    }
}

/// The constraints and lookups of one access: cell `addr` held `prev` since `prev_ts` and holds
/// `next` from timestamp `ts` on.
///
/// `prev_ts < ts` is what makes the memory argument sound: each cell's versions form one chain in
/// time order, starting at its initial value (timestamp 0). Timestamps stay below 2^24, so
/// `ts - prev_ts - 1 = diff_lo + 2^16 diff_hi` with `diff_lo < 2^16`, `diff_hi < 2^8` rules out
/// `prev_ts >= ts`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn eval_access<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    enabled: &E::F,
    addr: &E::F,
    ts: &E::F,
    prev: &[E::F; 2],
    next: &[E::F; 2],
    access: &AccessCols<E::F>,
) {
    // enabled * (ts - prev_ts - 1 - (diff_lo + 2^16 diff_hi)) = 0; padding rows are all zero.
    eval.add_constraint(
        enabled.clone() * (ts.clone() - access.prev_ts.clone() - E::F::one() - limbs(&access.ts_diff)),
    );
    use_tuple(
        eval,
        &relations.memory,
        enabled.clone(),
        &[addr.clone(), prev[0].clone(), prev[1].clone(), access.prev_ts.clone()],
    );
    yield_tuple(
        eval,
        &relations.memory,
        enabled.clone(),
        &[addr.clone(), next[0].clone(), next[1].clone(), ts.clone()],
    );
    range_check(eval, relations, enabled.clone(), 16, access.ts_diff[0].clone());
    range_check(eval, relations, enabled.clone(), 8, access.ts_diff[1].clone());
}
