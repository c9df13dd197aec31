//! `ecall` with `HALT`: the one row that ends the execution. It uses the final state and yields
//! nothing (so the state chain from `(entry, 0)` ends here), reads the exit code from `a0` and the
//! 32-byte public-values digest from the eight RAM words at `a1`, and yields the statement
//! `(exit code, digest)` into the public relation, which the verifier uses exactly once.

use nzero_abi::syscall;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::ecall::{A0, A1, A7};
use super::{Frame, RegRead, slot};
use crate::air::columns::columns;
use crate::air::lookup::{limbs, range_check, yield_tuple};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct HaltCols {
        frame: {Frame},
        a7: {RegRead},
        a0: {RegRead},
        a1: {RegRead},
        /// `a1_lo = 4 a1_word`: the digest is word-aligned.
        a1_word: T,
        d0: {RegRead},
        d1: {RegRead},
        d2: {RegRead},
        d3: {RegRead},
        d4: {RegRead},
        d5: {RegRead},
        d6: {RegRead},
        d7: {RegRead},
    }
}

/// The constraints of the halt chip.
#[derive(Clone, Debug)]
pub(crate) struct HaltEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for HaltEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = HaltCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let constant = |v: u32| E::F::from(BaseField::from(v));
        f.eval_enabled(&mut eval);
        let opcode = f.enabled.clone() * BaseField::from(Opcode::Ecall as u32);
        f.eval(&mut eval, r, opcode, constant(0), None);

        // a7 = HALT.
        eval.add_constraint(c.a7.value[0].clone() - f.enabled.clone() * BaseField::from(syscall::HALT));
        eval.add_constraint(c.a7.value[1].clone());
        c.a7.eval(&mut eval, r, f, &constant(A7), slot::RS1);
        c.a0.eval(&mut eval, r, f, &constant(A0), slot::RS1);
        c.a1.eval(&mut eval, r, f, &constant(A1), slot::RS1);

        // The digest lies in RAM: a1 = 4 a1_word + 2^16 a1_hi with a1_word < 2^14 and
        // 1 <= a1_hi < 2^13, i.e. MEMORY_START <= a1 < MEMORY_END, word-aligned.
        eval.add_constraint(c.a1.value[0].clone() - c.a1_word.clone() * BaseField::from(4));
        range_check(&mut eval, r, f.enabled.clone(), 14, c.a1_word.clone());
        range_check(&mut eval, r, f.enabled.clone(), 13, c.a1.value[1].clone() - f.enabled.clone());
        let digest = [&c.d0, &c.d1, &c.d2, &c.d3, &c.d4, &c.d5, &c.d6, &c.d7];
        let a1 = limbs(&c.a1.value);
        for (i, word) in (0u32..).zip(digest) {
            word.eval(&mut eval, r, f, &(a1.clone() + constant(4 * i)), slot::RAM);
        }
        let mut statement = vec![c.a0.value[0].clone(), c.a0.value[1].clone()];
        statement.extend(digest.iter().flat_map(|w| w.value.clone()));
        yield_tuple(&mut eval, &r.public, f.enabled.clone(), &statement);
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::{A0, A1, A7, HaltCols};
    use crate::air::chips::slot;
    use crate::prover::witness::StepContext;

    /// The row of the halting `ecall`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> HaltCols<M31> {
        let frame = ctx.frame();
        let a7 = ctx.read_reg(A7, slot::RS1);
        let a0 = ctx.read_reg(A0, slot::RS1);
        let a1 = ctx.read_reg(A1, slot::RS1);
        let addr = ctx.reg_value(A1);
        ctx.range(14, (addr & 0xffff) / 4);
        ctx.range(13, (addr >> 16) - 1);
        let mut word = |i: u32| ctx.read_reg(addr + 4 * i, slot::RAM);
        let [d0, d1, d2, d3, d4, d5, d6, d7] = [0, 1, 2, 3, 4, 5, 6, 7].map(&mut word);
        HaltCols {
            frame,
            a7,
            a0,
            a1,
            a1_word: M31::from((addr & 0xffff) / 4),
            d0,
            d1,
            d2,
            d3,
            d4,
            d5,
            d6,
            d7,
        }
    }
}
