//! Stores: `sb`, `sh`, `sw`.
//!
//! The address `rs1 + imm` must be in RAM and aligned to the width. The chip accesses the aligned
//! word (memory slot): `sw` replaces it; `sh` replaces the half at `b1`; `sb` replaces the byte at
//! `b0` within that half. The new word is assembled from range-checked bytes and the old word's
//! limbs, so it is valid without further range checks. Stores do not write a register.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::address::{RamAddress, eval_ram_address};
use super::{Frame, RegRead, eval_one_hot, opcode_of, slot, timestamp};
use crate::air::columns::columns;
use crate::air::lookup::{AccessCols, eval_access, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct StoreCols {
        frame: {Frame},
        is_sb: T,
        is_sh: T,
        is_sw: T,
        rs1: {RegRead},
        rs2: {RegRead},
        address: {RamAddress},
        /// The word before the store, and its access.
        old: [2],
        access: {AccessCols},
        /// The old word's half at `b1`: `old_half = old_bytes0 + 256 old_bytes1`.
        old_half: T,
        old_bytes: [2],
        /// `rs2_lo = value_bytes0 + 256 value_bytes1`.
        value_bytes: [2],
        /// The half that replaces `old_half` (`sh`, `sb`).
        new_half: T,
        new: [2],
    }
}

/// The constraints of the store chip.
#[derive(Clone, Debug)]
pub(crate) struct StoreEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for StoreEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = StoreCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let k = |v: u32| BaseField::from(v);
        f.eval_enabled(&mut eval);
        eval_one_hot(&mut eval, &f.enabled, &[c.is_sb.clone(), c.is_sh.clone(), c.is_sw.clone()]);
        let opcode = opcode_of::<E>(&[
            (c.is_sb.clone(), Opcode::Sb),
            (c.is_sh.clone(), Opcode::Sh),
            (c.is_sw.clone(), Opcode::Sw),
        ]);
        f.eval(&mut eval, r, opcode, E::F::from(k(0)), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        let cell = eval_ram_address(&c.address, &mut eval, r, &f.enabled, &c.rs1.value, &f.imm);
        let (b0, b1) = (c.address.b0.clone(), c.address.b1.clone());
        // Alignment: sw needs b0 = b1 = 0, sh needs b0 = 0.
        eval.add_constraint(c.is_sw.clone() * (b0.clone() + b1.clone()));
        eval.add_constraint(c.is_sh.clone() * b0.clone());

        let [old_lo, old_hi] = c.old.clone();
        let [v_lo, v_hi] = c.rs2.value.clone();
        // old_half = old_lo + b1 (old_hi - old_lo) = old_bytes0 + 256 old_bytes1
        eval.add_constraint(
            c.old_half.clone() - old_lo.clone() - b1.clone() * (old_hi.clone() - old_lo.clone()),
        );
        eval.add_constraint(c.old_half.clone() - c.old_bytes[0].clone() - c.old_bytes[1].clone() * k(256));
        // v_lo = value_bytes0 + 256 value_bytes1
        eval.add_constraint(v_lo.clone() - c.value_bytes[0].clone() - c.value_bytes[1].clone() * k(256));
        for byte in c.old_bytes.iter().chain(&c.value_bytes) {
            range_check(&mut eval, r, f.enabled.clone(), 8, byte.clone());
        }
        // new_half = sh·v_lo + sb·(vb0 + 256 ob1) + b0·(ob0 + 256 vb0 − vb0 − 256 ob1)
        // (b0 is zero unless sb: the byte goes low or high in the half).
        let (ob0, ob1) = (c.old_bytes[0].clone(), c.old_bytes[1].clone());
        let vb0 = c.value_bytes[0].clone();
        let byte_low = vb0.clone() + ob1.clone() * k(256);
        let byte_high = ob0 + vb0 * k(256);
        eval.add_constraint(
            c.new_half.clone()
                - c.is_sh.clone() * v_lo.clone()
                - c.is_sb.clone() * byte_low.clone()
                - b0 * (byte_high - byte_low),
        );
        // sub-word stores (sub = enabled − sw) keep the other half:
        // new_lo = sw·v_lo + sub·old_lo + (sub − b1)(new_half − old_lo)
        // new_hi = sw·v_hi + sub·old_hi + b1 (new_half − old_hi)
        let sub = f.enabled.clone() - c.is_sw.clone();
        eval.add_constraint(
            c.new[0].clone()
                - c.is_sw.clone() * v_lo
                - sub.clone() * old_lo.clone()
                - (sub.clone() - b1.clone()) * (c.new_half.clone() - old_lo),
        );
        eval.add_constraint(
            c.new[1].clone()
                - c.is_sw.clone() * v_hi
                - sub * old_hi.clone()
                - b1 * (c.new_half.clone() - old_hi),
        );
        let ts = timestamp::<E>(&f.clk, slot::RAM);
        eval_access(&mut eval, r, &f.enabled, &cell, &ts, &c.old, &c.new, &c.access);
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::StoreCols;
    use crate::air::chips::address::witness::ram_address;
    use crate::air::chips::slot;
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed store.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> StoreCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let (addr, address) = ram_address(ctx, ctx.step.rs1_value, ctx.row.imm);
        let (old, new) = (ctx.step.mem_before, ctx.step.mem_after);
        let (_, access) = ctx.access(addr & !3, slot::RAM, new);
        let old_half = if addr & 2 == 0 { old & 0xffff } else { old >> 16 };
        let old_bytes = [old_half & 0xff, old_half >> 8];
        let value = ctx.step.rs2_value;
        let value_bytes = [value & 0xff, (value >> 8) & 0xff];
        for byte in old_bytes.iter().chain(&value_bytes) {
            ctx.range(8, *byte);
        }
        let opcode = ctx.row.opcode;
        let new_half = match opcode {
            Opcode::Sh => value & 0xffff,
            Opcode::Sb if addr & 1 == 0 => value_bytes[0] | (old_bytes[1] << 8),
            Opcode::Sb => old_bytes[0] | (value_bytes[0] << 8),
            _ => 0,
        };
        let flag = |op| M31::from(u32::from(opcode == op));
        StoreCols {
            frame,
            is_sb: flag(Opcode::Sb),
            is_sh: flag(Opcode::Sh),
            is_sw: flag(Opcode::Sw),
            rs1,
            rs2,
            address,
            old: word_limbs(old),
            access,
            old_half: M31::from(old_half),
            old_bytes: old_bytes.map(M31::from),
            value_bytes: value_bytes.map(M31::from),
            new_half: M31::from(new_half),
            new: word_limbs(new),
        }
    }
}
