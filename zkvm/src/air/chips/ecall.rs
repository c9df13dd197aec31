//! `ecall` for every syscall but `HALT`: reading private input (`INPUT_LEN`, `READ_INPUT_WORD`
//! write a prover-chosen word to `a0`: the input is private, any word is a valid input) and host
//! output (`COMMIT`, `WRITE`: no effect on the machine state; the public values are bound through
//! the digest the guest computes itself and passes to `HALT`).

use num_traits::One;
use nzero_abi::syscall;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::{Frame, RegRead, eval_one_hot, slot, timestamp};
use crate::air::columns::columns;
use crate::air::lookup::{AccessCols, eval_access, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

/// `a0`, the syscall argument and result register.
pub(crate) const A0: u32 = 10;
/// `a1`.
pub(crate) const A1: u32 = 11;
/// `a7`, the syscall number register.
pub(crate) const A7: u32 = 17;

columns! {
    pub(crate) struct EcallCols {
        frame: {Frame},
        is_input_len: T,
        is_read_word: T,
        is_commit: T,
        is_write: T,
        a7: {RegRead},
        a0: {RegRead},
        a0_write: {AccessCols},
        /// `a0` after the syscall: the input word, or `a0` unchanged.
        new_a0: [2],
    }
}

/// The constraints of the ecall chip.
#[derive(Clone, Debug)]
pub(crate) struct EcallEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for EcallEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = EcallCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let constant = |v: u32| E::F::from(BaseField::from(v));
        f.eval_enabled(&mut eval);
        let flags = [c.is_input_len.clone(), c.is_read_word.clone(), c.is_commit.clone(), c.is_write.clone()];
        eval_one_hot(&mut eval, &f.enabled, &flags);
        let opcode = f.enabled.clone() * BaseField::from(Opcode::Ecall as u32);
        f.eval(&mut eval, r, opcode, constant(0), Some(f.next_pc::<E>()));

        // a7 holds the syscall number: a7 = Σ flag_i · number_i.
        let numbers = [syscall::INPUT_LEN, syscall::READ_INPUT_WORD, syscall::COMMIT, syscall::WRITE];
        let number = flags
            .iter()
            .zip(numbers)
            .fold(constant(0), |acc, (flag, n)| acc + flag.clone() * BaseField::from(n));
        eval.add_constraint(c.a7.value[0].clone() - number);
        eval.add_constraint(c.a7.value[1].clone());
        c.a7.eval(&mut eval, r, f, &constant(A7), slot::RS1);
        c.a0.eval(&mut eval, r, f, &constant(A0), slot::RS2);

        // Input syscalls replace a0 with a (range-checked) word; the others leave it:
        // (1 - is_input) (new_a0 - a0) = 0.
        let is_input = c.is_input_len.clone() + c.is_read_word.clone();
        for (new, old) in c.new_a0.iter().zip(&c.a0.value) {
            eval.add_constraint((E::F::one() - is_input.clone()) * (new.clone() - old.clone()));
        }
        let ts = timestamp::<E>(&f.clk, slot::RD);
        eval_access(&mut eval, r, &f.enabled, &constant(A0), &ts, &c.a0.value, &c.new_a0, &c.a0_write);
        range_check(&mut eval, r, is_input.clone(), 16, c.new_a0[0].clone());
        range_check(&mut eval, r, is_input, 16, c.new_a0[1].clone());
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use nzero_abi::syscall;
    use stwo::core::fields::m31::M31;

    use super::{A0, A7, EcallCols};
    use crate::air::chips::slot;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed `ecall` other than `HALT`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> EcallCols<M31> {
        let frame = ctx.frame();
        let a7 = ctx.read_reg(A7, slot::RS1);
        let a0 = ctx.read_reg(A0, slot::RS2);
        let number = ctx.reg_value(A7);
        let is_input = matches!(number, syscall::INPUT_LEN | syscall::READ_INPUT_WORD);
        let new_a0 = if is_input { ctx.step.rd_value } else { ctx.reg_value(A0) };
        let (_, a0_write) = ctx.access(A0, slot::RD, new_a0);
        if is_input {
            ctx.range(16, new_a0 & 0xffff);
            ctx.range(16, new_a0 >> 16);
        }
        let flag = |n| M31::from(u32::from(number == n));
        EcallCols {
            frame,
            is_input_len: flag(syscall::INPUT_LEN),
            is_read_word: flag(syscall::READ_INPUT_WORD),
            is_commit: flag(syscall::COMMIT),
            is_write: flag(syscall::WRITE),
            a7,
            a0,
            a0_write,
            new_a0: word_limbs(new_a0),
        }
    }
}
