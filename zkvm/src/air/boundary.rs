//! The memory boundary: every memory cell the execution touches, or that the image initialises,
//! once, with its initial value (yielded at timestamp 0) and its final value (used at its last
//! access time). Together with the chips' accesses, this makes the memory relation a complete
//! offline memory check.
//!
//! Each cell appears exactly once because the rows form a chain of strictly increasing addresses
//! from 0 to `MEMORY_END` (the link relation), with every address range-checked below 2^29 so the
//! chain cannot wrap around the field. A cell's initial value is zero unless the row takes it from
//! the image table, which yields every image word exactly once.

use num_traits::One;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::columns::columns;
use super::lookup::{limbs, range_check, use_tuple, yield_tuple};
use super::relations::Relations;

columns! {
    pub(crate) struct BoundaryCols {
        enabled: T,
        /// `addr = lo + 2^16 hi`, `hi < 2^13`.
        addr: [2],
        /// `next_addr - addr - 1 = lo + 2^16 hi`, `hi < 2^13`.
        step: [2],
        is_image: T,
        init: [2],
        final_value: [2],
        final_ts: T,
    }
}

/// The constraints of the memory boundary.
#[derive(Clone, Debug)]
pub(crate) struct BoundaryEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for BoundaryEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = BoundaryCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let one = || E::F::one();
        // enabled and is_image are bits; only enabled rows come from the image.
        eval.add_constraint(c.enabled.clone() * (c.enabled.clone() - one()));
        eval.add_constraint(c.is_image.clone() * (c.is_image.clone() - one()));
        eval.add_constraint(c.is_image.clone() * (one() - c.enabled.clone()));
        // Cells outside the image start at zero: (1 - is_image) * init = 0.
        for limb in &c.init {
            eval.add_constraint((one() - c.is_image.clone()) * limb.clone());
        }
        let addr = limbs(&c.addr);
        let next = addr.clone() + one() + limbs(&c.step);
        use_tuple(&mut eval, &r.link, c.enabled.clone(), std::slice::from_ref(&addr));
        yield_tuple(&mut eval, &r.link, c.enabled.clone(), &[next]);
        let zero_ts = E::F::from(BaseField::from(0));
        yield_tuple(
            &mut eval,
            &r.memory,
            c.enabled.clone(),
            &[addr.clone(), c.init[0].clone(), c.init[1].clone(), zero_ts],
        );
        use_tuple(
            &mut eval,
            &r.memory,
            c.enabled.clone(),
            &[addr.clone(), c.final_value[0].clone(), c.final_value[1].clone(), c.final_ts.clone()],
        );
        use_tuple(&mut eval, &r.image, c.is_image.clone(), &[addr, c.init[0].clone(), c.init[1].clone()]);
        range_check(&mut eval, r, c.enabled.clone(), 16, c.addr[0].clone());
        range_check(&mut eval, r, c.enabled.clone(), 13, c.addr[1].clone());
        range_check(&mut eval, r, c.enabled.clone(), 16, c.step[0].clone());
        range_check(&mut eval, r, c.enabled.clone(), 13, c.step[1].clone());
        eval.finalize_logup_in_pairs();
        eval
    }
}
