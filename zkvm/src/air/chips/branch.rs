//! The conditional branches `beq`, `bne`, `blt`, `bge`, `bltu`, `bgeu`: read `rs1` and `rs2`, write
//! nothing, and continue at the static `target` (from the program table) when the condition holds,
//! at `pc + 4` otherwise.

use num_traits::One;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::less_than::{LessThanCols, diff_sum, eval_less_than};
use super::{Frame, RegRead, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct BranchCols {
        frame: {Frame},
        is_beq: T,
        is_bne: T,
        is_blt: T,
        is_bge: T,
        is_bltu: T,
        is_bgeu: T,
        rs1: {RegRead},
        rs2: {RegRead},
        /// `rs1 - rs2` and the order of the two.
        lt: {LessThanCols},
        /// `rs1 != rs2`.
        ne: T,
        /// The inverse of `diff_lo + diff_hi` when it is not zero, zero otherwise.
        diff_inv: T,
        /// Whether the branch is taken.
        taken: T,
        /// The static target, from the program table.
        target: T,
        /// `taken ? target : pc + 4`.
        next_pc: T,
    }
}

/// The constraints of the branch chip.
#[derive(Clone, Debug)]
pub(crate) struct BranchEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for BranchEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = BranchCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let one = E::F::one;
        f.eval_enabled(&mut eval);
        let flags = [
            (c.is_beq.clone(), Opcode::Beq),
            (c.is_bne.clone(), Opcode::Bne),
            (c.is_blt.clone(), Opcode::Blt),
            (c.is_bge.clone(), Opcode::Bge),
            (c.is_bltu.clone(), Opcode::Bltu),
            (c.is_bgeu.clone(), Opcode::Bgeu),
        ];
        eval_one_hot(&mut eval, &f.enabled, &flags.clone().map(|(flag, _)| flag));
        f.eval(&mut eval, r, opcode_of::<E>(&flags), c.target.clone(), Some(c.next_pc.clone()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);

        // Branches have no immediate operand (the program table holds imm = 0): compare rs1 with rs2.
        let signed = c.is_blt.clone() + c.is_bge.clone();
        let lt = eval_less_than(&mut eval, r, &c.lt, &f.enabled, &signed, &c.rs1.value, &c.rs2.value);

        // ne = [s != 0] for s = diff_lo + diff_hi (zero exactly when rs1 == rs2):
        // ne = s · inv; s (1 - ne) = 0; inv (1 - ne) = 0. If s != 0 the second forces ne = 1 and the
        // first inv = 1/s; if s = 0 the first forces ne = 0 and the third inv = 0. Padding: all zero.
        let s = diff_sum::<E>(&c.lt);
        eval.add_constraint(c.ne.clone() - s.clone() * c.diff_inv.clone());
        eval.add_constraint(s * (one() - c.ne.clone()));
        eval.add_constraint(c.diff_inv.clone() * (one() - c.ne.clone()));

        // taken = beq (1 - ne) + bne ne + (blt + bltu) lt + (bge + bgeu) (1 - lt): `lt` is the signed
        // order for blt/bge and the unsigned one for bltu/bgeu (the gadget's `signed` flag).
        let taken = c.is_beq.clone() * (one() - c.ne.clone())
            + c.is_bne.clone() * c.ne.clone()
            + (c.is_blt.clone() + c.is_bltu.clone()) * lt.clone()
            + (c.is_bge.clone() + c.is_bgeu.clone()) * (one() - lt);
        eval.add_constraint(c.taken.clone() - taken);

        // next_pc = pc + 4 + taken (target - pc - 4), with `pc + 4` scaled by `enabled` so that
        // padding rows (all zero) satisfy it: next_pc = enabled (pc + 4) + taken (target - pc - 4).
        let pc4 = f.next_pc::<E>();
        eval.add_constraint(
            c.next_pc.clone() - f.enabled.clone() * pc4.clone() - c.taken.clone() * (c.target.clone() - pc4),
        );
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::BranchCols;
    use crate::air::chips::less_than;
    use crate::air::opcode::Opcode;
    use crate::isa::BranchOp;
    use crate::prover::witness::StepContext;

    /// The row of an executed branch.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> BranchCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let op = match ctx.row.opcode {
            Opcode::Beq => BranchOp::Beq,
            Opcode::Bne => BranchOp::Bne,
            Opcode::Blt => BranchOp::Blt,
            Opcode::Bge => BranchOp::Bge,
            Opcode::Bltu => BranchOp::Bltu,
            Opcode::Bgeu => BranchOp::Bgeu,
            opcode => unreachable!("{opcode:?} is not a branch"),
        };
        let (a, b) = (ctx.step.rs1_value, ctx.step.rs2_value);
        let lt = less_than::witness::cols(ctx, a, b, matches!(op, BranchOp::Blt | BranchOp::Bge));
        let s = lt.diff[0] + lt.diff[1];
        let taken = op.taken(a, b);
        let target = ctx.row.target;
        let next_pc = if taken { target } else { ctx.step.pc.wrapping_add(4) };
        debug_assert_eq!(next_pc, ctx.step.next_pc);
        let flag = |o: BranchOp| M31::from(u32::from(op == o));
        BranchCols {
            frame,
            is_beq: flag(BranchOp::Beq),
            is_bne: flag(BranchOp::Bne),
            is_blt: flag(BranchOp::Blt),
            is_bge: flag(BranchOp::Bge),
            is_bltu: flag(BranchOp::Bltu),
            is_bgeu: flag(BranchOp::Bgeu),
            rs1,
            rs2,
            lt,
            ne: M31::from(u32::from(a != b)),
            diff_inv: if a == b { M31::from(0) } else { s.inverse() },
            taken: M31::from(u32::from(taken)),
            target: M31::from(target),
            next_pc: M31::from(next_pc),
        }
    }
}
