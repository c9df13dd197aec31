//! `sll`, `srl`, `sra` (and `slli`, `srli`, `srai`: the same opcodes with `rs2 = x0` and the shift
//! amount as the immediate).
//!
//! The shift amount is the low five bits of `b = rs2 + imm`: `b_lo = shamt + 32 rest` with
//! `rest < 2^11` (range table) and `shamt < 32` (the shift table has no other rows), so the
//! decomposition is unique and the high limb of `b` plays no part.
//!
//! A shift by `shamt = 16 h + t` (`t < 16`) is a limb shift by `h` followed by a shift by `t` bits.
//! The limb shift is a selection: the operand `a = rs1` becomes `x` with
//! - left: `x = (a_lo, a_hi)` or, when `h = 1`, `(0, a_lo)`;
//! - right: `x = (a_lo, a_hi)` or, when `h = 1`, `(a_hi, fill)`, where `fill` is `0xffff` for a
//!   negative `sra` operand and 0 otherwise.
//!
//! The bit shift splits each limb of `x` at one bit position: `x_i = q_i X + r_i` with `r_i < X`,
//! `q_i < Y` and `X Y = 2^16` (`X = 2^t` for right shifts, `2^(16-t)` for left ones). The shift
//! table gives `(h, X, Y)` for the direction and `shamt`; the bounds are proven by range-checking
//! `r_i`, `X - 1 - r_i`, `q_i` and `Y - 1 - q_i` below 2^16, which leaves no room for wrap-around in
//! M31 (fewer checks would: `q X + r` can reach `2^31 - 1`). Then the result is, in limbs,
//! - right: `(q_0 + r_1 Y, q_1 + neg (2^16 - Y))`: the low bits of the high limb move to the top
//!   of the low limb, and `sra` fills the top `t` bits of the high limb with the sign `neg`;
//! - left: `(r_0 Y, r_1 Y + q_0)`: the top `t` bits of the low limb carry into the high limb.
//!
//! Each result limb is below 2^16 by the bounds on `q` and `r`, so the result is a word without
//! range checks. The sign of `rs1` for `sra` is `neg` with `a_hi - 2^15 neg < 2^15`.

use num_traits::Zero;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::{Frame, RegRead, RegWrite, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check, use_tuple};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct ShiftCols {
        frame: {Frame},
        is_sll: T,
        is_srl: T,
        is_sra: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        /// `(b_lo - shamt) / 32`.
        rest: T,
        /// From the shift table: `shamt >= 16`, and the split factors `X`, `Y = 2^16 / X`.
        h: T,
        x: T,
        y: T,
        /// The sign bit of `rs1` for `sra`; zero otherwise.
        neg: T,
        /// Each limb of the limb-shifted operand is `q X + r`.
        q: [2],
        r: [2],
        result: [2],
    }
}

/// The constraints of the shift chip.
#[derive(Clone, Debug)]
pub(crate) struct ShiftEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for ShiftEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = ShiftCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let constant = |v: u32| E::F::from(BaseField::from(v));
        f.eval_enabled(&mut eval);
        let flags = [
            (c.is_sll.clone(), Opcode::Sll),
            (c.is_srl.clone(), Opcode::Srl),
            (c.is_sra.clone(), Opcode::Sra),
        ];
        eval_one_hot(&mut eval, &f.enabled, &flags.clone().map(|(flag, _)| flag));
        f.eval(&mut eval, r, opcode_of::<E>(&flags), E::F::zero(), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        c.rd.eval(&mut eval, r, f, &c.result);
        let (left, right) = (c.is_sll.clone(), c.is_srl.clone() + c.is_sra.clone());

        // b_lo = rs2_lo + imm_lo = shamt + 32 rest, rest < 2^11; the shift table proves shamt < 32
        // and gives (h, X, Y) for it and the direction.
        let shamt = c.rs2.value[0].clone() + f.imm[0].clone() - c.rest.clone() * BaseField::from(32);
        range_check(&mut eval, r, f.enabled.clone(), 11, c.rest.clone());
        use_tuple(
            &mut eval,
            &r.shift,
            f.enabled.clone(),
            &[left.clone(), shamt, c.h.clone(), c.x.clone(), c.y.clone()],
        );

        // neg (neg - is_sra) = 0: neg is zero unless sra, a bit for sra; there it is the top bit of
        // rs1: a_hi - 2^15 neg < 2^15.
        let [a_lo, a_hi] = c.rs1.value.clone();
        eval.add_constraint(c.neg.clone() * (c.neg.clone() - c.is_sra.clone()));
        range_check(
            &mut eval,
            r,
            c.is_sra.clone(),
            15,
            a_hi.clone() - c.neg.clone() * BaseField::from(1 << 15),
        );

        // The limb shift: x_lo = a_lo + h (right a_hi - a_lo), x_hi = a_hi + h (left a_lo + 0xffff neg - a_hi).
        let x_lo = a_lo.clone() + c.h.clone() * (right.clone() * a_hi.clone() - a_lo.clone());
        let x_hi = a_hi.clone()
            + c.h.clone() * (left.clone() * a_lo + c.neg.clone() * BaseField::from(LIMB - 1) - a_hi);
        // The bit split: x_i = q_i X + r_i with 0 <= r_i < X and 0 <= q_i < Y.
        for (x_i, (q, rem)) in [x_lo, x_hi].into_iter().zip(c.q.iter().zip(&c.r)) {
            eval.add_constraint(x_i - q.clone() * c.x.clone() - rem.clone());
            let below = |bound: &E::F, v: &E::F| bound.clone() - E::F::from(BaseField::from(1)) - v.clone();
            range_check(&mut eval, r, f.enabled.clone(), 16, rem.clone());
            range_check(&mut eval, r, f.enabled.clone(), 16, below(&c.x, rem));
            range_check(&mut eval, r, f.enabled.clone(), 16, q.clone());
            range_check(&mut eval, r, f.enabled.clone(), 16, below(&c.y, q));
        }

        // result_lo = right (q_0 + r_1 Y) + left r_0 Y.
        let [q0, q1] = c.q.clone();
        let [r0, r1] = c.r.clone();
        eval.add_constraint(
            c.result[0].clone()
                - right.clone() * (q0.clone() + r1.clone() * c.y.clone())
                - left.clone() * r0 * c.y.clone(),
        );
        // result_hi = right q_1 + left (r_1 Y + q_0) + neg (2^16 - Y).
        eval.add_constraint(
            c.result[1].clone()
                - right * q1
                - left * (r1 * c.y.clone() + q0)
                - c.neg.clone() * (constant(LIMB) - c.y.clone()),
        );
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::ShiftCols;
    use crate::air::opcode::Opcode;
    use crate::air::tables::{shift_row, shift_table_row, word_limbs};
    use crate::prover::witness::StepContext;

    /// The row of an executed `sll`/`srl`/`sra`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> ShiftCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let op = ctx.row.opcode;
        let a = ctx.step.rs1_value;
        let b = ctx.step.rs2_value.wrapping_add(ctx.row.imm);
        let result = ctx.step.rd_value;
        // The bounds on q and r prove the result a word.
        let rd = ctx.write_rd_unchecked(result);

        let (left, shamt, rest) = (op == Opcode::Sll, b & 31, (b & 0xffff) >> 5);
        ctx.range(11, rest);
        ctx.shift(left, shamt);
        let [_, _, h, x, y] = shift_table_row(shift_row(left, shamt) as u32);
        let (a_lo, a_hi) = (a & 0xffff, a >> 16);
        let neg = op == Opcode::Sra && a_hi >> 15 == 1;
        if op == Opcode::Sra {
            ctx.range(15, a_hi & 0x7fff);
        }
        let limb_shifted = match (left, h == 1) {
            (_, false) => [a_lo, a_hi],
            (true, true) => [0, a_lo],
            (false, true) => [a_hi, if neg { 0xffff } else { 0 }],
        };
        let q = limb_shifted.map(|v| v / x);
        let r = limb_shifted.map(|v| v % x);
        for i in 0..2 {
            for value in [r[i], x - 1 - r[i], q[i], y - 1 - q[i]] {
                ctx.range(16, value);
            }
        }
        let flag = |o| M31::from(u32::from(op == o));
        ShiftCols {
            frame,
            is_sll: flag(Opcode::Sll),
            is_srl: flag(Opcode::Srl),
            is_sra: flag(Opcode::Sra),
            rs1,
            rs2,
            rd,
            rest: M31::from(rest),
            h: M31::from(h),
            x: M31::from(x),
            y: M31::from(y),
            neg: M31::from(u32::from(neg)),
            q: q.map(M31::from),
            r: r.map(M31::from),
            result: word_limbs(result),
        }
    }
}

#[cfg(test)]
mod tests {
    use stwo_constraint_framework::{FrameworkEval, InfoEvaluator};

    use super::ShiftEval;
    use crate::air::relations::Relations;

    /// Columns per row drive the proving cost: main columns, then interaction (logUp) columns.
    #[test]
    fn columns_per_row() {
        let eval = ShiftEval { log_size: 5, relations: Relations::dummy() };
        let info = eval.evaluate(InfoEvaluator::empty());
        assert_eq!((info.mask_offsets[1].len(), info.mask_offsets[2].len()), (37, 52));
    }
}
