//! Loads: `lb`, `lh`, `lw`, `lbu`, `lhu`.
//!
//! The address `rs1 + imm` must be in RAM and aligned to the width; the chip reads the aligned word
//! (memory slot), selects the half (`b1`) and byte (`b0`) the address names, extends its sign bit as
//! the instruction says, and writes the result. Every result limb is built from range-checked bytes
//! and halves, so it is a valid word without further range checks.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::address::{RamAddress, eval_ram_address};
use super::{Frame, RegRead, RegWrite, eval_bit, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::range_check;
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct LoadCols {
        frame: {Frame},
        is_lb: T,
        is_lh: T,
        is_lw: T,
        is_lbu: T,
        is_lhu: T,
        rs1: {RegRead},
        address: {RamAddress},
        mem: {RegRead},
        /// The half of the word at `b1`: `half = bytes[0] + 256 bytes[1]`.
        half: T,
        bytes: [2],
        /// The byte at `b0` of `half`.
        byte: T,
        /// The loaded byte's or half's top bit, and the bits below it.
        sign: T,
        rest: T,
        result: [2],
        rd: {RegWrite},
    }
}

/// The constraints of the load chip.
#[derive(Clone, Debug)]
pub(crate) struct LoadEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for LoadEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = LoadCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let k = |v: u32| BaseField::from(v);
        f.eval_enabled(&mut eval);
        let flags = [c.is_lb.clone(), c.is_lh.clone(), c.is_lw.clone(), c.is_lbu.clone(), c.is_lhu.clone()];
        eval_one_hot(&mut eval, &f.enabled, &flags);
        let opcode = opcode_of::<E>(&[
            (c.is_lb.clone(), Opcode::Lb),
            (c.is_lh.clone(), Opcode::Lh),
            (c.is_lw.clone(), Opcode::Lw),
            (c.is_lbu.clone(), Opcode::Lbu),
            (c.is_lhu.clone(), Opcode::Lhu),
        ]);
        f.eval(&mut eval, r, opcode, E::F::from(k(0)), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        let cell = eval_ram_address(&c.address, &mut eval, r, &f.enabled, &c.rs1.value, &f.imm);
        c.mem.eval(&mut eval, r, f, &cell, slot::RAM);

        let is_byte = c.is_lb.clone() + c.is_lbu.clone();
        let is_half = c.is_lh.clone() + c.is_lhu.clone();
        // Alignment: lw needs b0 = b1 = 0, halves need b0 = 0.
        eval.add_constraint(c.is_lw.clone() * (c.address.b0.clone() + c.address.b1.clone()));
        eval.add_constraint(is_half.clone() * c.address.b0.clone());

        let [lo, hi] = c.mem.value.clone();
        // half = lo + b1 (hi - lo); half = bytes0 + 256 bytes1; byte = bytes0 + b0 (bytes1 - bytes0)
        eval.add_constraint(c.half.clone() - lo.clone() - c.address.b1.clone() * (hi.clone() - lo.clone()));
        eval.add_constraint(c.half.clone() - c.bytes[0].clone() - c.bytes[1].clone() * k(256));
        eval.add_constraint(
            c.byte.clone()
                - c.bytes[0].clone()
                - c.address.b0.clone() * (c.bytes[1].clone() - c.bytes[0].clone()),
        );
        range_check(&mut eval, r, f.enabled.clone(), 8, c.bytes[0].clone());
        range_check(&mut eval, r, f.enabled.clone(), 8, c.bytes[1].clone());

        // The loaded value's top bit: byte = 128 sign + rest (rest < 2^7), half = 2^15 sign + rest
        // (rest < 2^15); lw has neither (sign = rest = 0, no lookup).
        eval_bit(&mut eval, &c.sign);
        eval.add_constraint(
            is_byte.clone() * (c.byte.clone() - c.sign.clone() * k(1 << 7) - c.rest.clone())
                + is_half.clone() * (c.half.clone() - c.sign.clone() * k(1 << 15) - c.rest.clone()),
        );
        eval.add_constraint(c.is_lw.clone() * (c.sign.clone() + c.rest.clone()));
        let bits = is_byte.clone() * k(7) + is_half.clone() * k(15);
        use_range_of_width(&mut eval, r, f.enabled.clone() - c.is_lw.clone(), bits, c.rest.clone());

        // result_lo = lw·lo + halves·half + bytes·byte + lb·sign·0xff00
        eval.add_constraint(
            c.result[0].clone()
                - c.is_lw.clone() * lo.clone()
                - is_half.clone() * c.half.clone()
                - is_byte * c.byte.clone()
                - c.is_lb.clone() * c.sign.clone() * k(0xff00),
        );
        // result_hi = lw·hi + (lb + lh)·sign·0xffff
        eval.add_constraint(
            c.result[1].clone()
                - c.is_lw.clone() * hi
                - (c.is_lb.clone() + c.is_lh.clone()) * c.sign.clone() * k(0xffff),
        );
        c.rd.eval(&mut eval, r, f, &c.result);
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// Uses `(bits, value)` in the range relation with `bits` an expression (the width depends on the
/// row's opcode).
fn use_range_of_width<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    multiplicity: E::F,
    bits: E::F,
    value: E::F,
) {
    crate::air::lookup::use_tuple(eval, &relations.range, multiplicity, &[bits, value]);
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::LoadCols;
    use crate::air::chips::address::witness::ram_address;
    use crate::air::chips::slot;
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed load.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> LoadCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let (addr, address) = ram_address(ctx, ctx.step.rs1_value, ctx.row.imm);
        let mem = ctx.read_reg(addr & !3, slot::RAM);
        let word = ctx.step.mem_before;
        let half = if addr & 2 == 0 { word & 0xffff } else { word >> 16 };
        let bytes = [half & 0xff, half >> 8];
        let byte = bytes[(addr & 1) as usize];
        ctx.range(8, bytes[0]);
        ctx.range(8, bytes[1]);
        let opcode = ctx.row.opcode;
        let (sign, rest) = match opcode {
            Opcode::Lb | Opcode::Lbu => {
                ctx.range(7, byte & 0x7f);
                (byte >> 7, byte & 0x7f)
            }
            Opcode::Lh | Opcode::Lhu => {
                ctx.range(15, half & 0x7fff);
                (half >> 15, half & 0x7fff)
            }
            _ => (0, 0),
        };
        let result = ctx.step.rd_value;
        let rd = ctx.write_rd_unchecked(result);
        let flag = |op| M31::from(u32::from(opcode == op));
        LoadCols {
            frame,
            is_lb: flag(Opcode::Lb),
            is_lh: flag(Opcode::Lh),
            is_lw: flag(Opcode::Lw),
            is_lbu: flag(Opcode::Lbu),
            is_lhu: flag(Opcode::Lhu),
            rs1,
            address,
            mem,
            half: M31::from(half),
            bytes: bytes.map(M31::from),
            byte: M31::from(byte),
            sign: M31::from(sign),
            rest: M31::from(rest),
            result: word_limbs(result),
            rd,
        }
    }
}
