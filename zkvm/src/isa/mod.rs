//! The RV32IM instruction set: decoding 32-bit words into [`Instruction`]s.
//!
//! Only the base integer ISA (RV32I, without `fence.i`/CSR instructions) and the M extension are
//! accepted. `fence` is a no-op on this single-hart machine; `ecall` calls the VM; `ebreak` is an error.

pub mod asm;

/// Register-register ALU operations (opcode `OP`), including the M extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The variants are the RISC-V mnemonics.
pub enum AluOp {
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
}

/// Conditional branch comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The variants are the RISC-V mnemonics.
pub enum BranchOp {
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
}

/// Load widths and extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The variants are the RISC-V mnemonics.
pub enum LoadOp {
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
}

/// Store widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The variants are the RISC-V mnemonics.
pub enum StoreOp {
    Sb,
    Sh,
    Sw,
}

/// A decoded RV32IM instruction. Register fields are indices `0..32`; immediates are sign-extended
/// as the ISA specifies and stored as `u32` bit patterns (except shift amounts, `0..32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Field names follow the RISC-V specification.
pub enum Instruction {
    /// `rd = rs1 op rs2`.
    Alu { op: AluOp, rd: u8, rs1: u8, rs2: u8 },
    /// `rd = rs1 op imm` (`OP-IMM`; `op` is never an M-extension or `Sub` operation).
    AluImm { op: AluOp, rd: u8, rs1: u8, imm: u32 },
    /// `rd = sext(mem[rs1 + imm])`.
    Load { op: LoadOp, rd: u8, rs1: u8, imm: u32 },
    /// `mem[rs1 + imm] = rs2`.
    Store { op: StoreOp, rs1: u8, rs2: u8, imm: u32 },
    /// `if rs1 op rs2 { pc += imm }`.
    Branch { op: BranchOp, rs1: u8, rs2: u8, imm: u32 },
    /// `rd = pc + 4; pc += imm`.
    Jal { rd: u8, imm: u32 },
    /// `rd = pc + 4; pc = (rs1 + imm) & !1`.
    Jalr { rd: u8, rs1: u8, imm: u32 },
    /// `rd = imm` (the immediate already shifted left by 12).
    Lui { rd: u8, imm: u32 },
    /// `rd = pc + imm` (the immediate already shifted left by 12).
    Auipc { rd: u8, imm: u32 },
    /// Call the VM; see [`nzero_abi::syscall`].
    Ecall,
    /// A breakpoint: stops execution with an error.
    Ebreak,
    /// A memory fence: a no-op on a single hart with no caches.
    Fence,
}

/// A word that is not an RV32IM instruction this machine executes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("illegal instruction {word:#010x}")]
pub struct IllegalInstruction {
    /// The instruction word.
    pub word: u32,
}

impl Instruction {
    /// Decodes one instruction word.
    ///
    /// # Errors
    /// [`IllegalInstruction`] for anything outside RV32IM (compressed, CSR, atomics, floating point,
    /// reserved encodings).
    pub fn decode(word: u32) -> Result<Self, IllegalInstruction> {
        let illegal = IllegalInstruction { word };
        let rd = ((word >> 7) & 0x1f) as u8;
        let rs1 = ((word >> 15) & 0x1f) as u8;
        let rs2 = ((word >> 20) & 0x1f) as u8;
        let funct3 = (word >> 12) & 0x7;
        let funct7 = word >> 25;
        let imm_i = ((word as i32) >> 20) as u32;
        let imm_s = ((((word as i32) >> 25) << 5) as u32) | ((word >> 7) & 0x1f);
        let imm_b = ((((word as i32) >> 31) << 12) as u32)
            | ((word << 4) & 0x800)
            | ((word >> 20) & 0x7e0)
            | ((word >> 7) & 0x1e);
        let imm_u = word & 0xffff_f000;
        let imm_j = ((((word as i32) >> 31) << 20) as u32)
            | (word & 0x000f_f000)
            | ((word >> 9) & 0x800)
            | ((word >> 20) & 0x7fe);

        let insn = match word & 0x7f {
            0b011_0111 => Self::Lui { rd, imm: imm_u },
            0b001_0111 => Self::Auipc { rd, imm: imm_u },
            0b110_1111 => Self::Jal { rd, imm: imm_j },
            0b110_0111 if funct3 == 0 => Self::Jalr { rd, rs1, imm: imm_i },
            0b110_0011 => {
                let op = match funct3 {
                    0b000 => BranchOp::Beq,
                    0b001 => BranchOp::Bne,
                    0b100 => BranchOp::Blt,
                    0b101 => BranchOp::Bge,
                    0b110 => BranchOp::Bltu,
                    0b111 => BranchOp::Bgeu,
                    _ => return Err(illegal),
                };
                Self::Branch { op, rs1, rs2, imm: imm_b }
            }
            0b000_0011 => {
                let op = match funct3 {
                    0b000 => LoadOp::Lb,
                    0b001 => LoadOp::Lh,
                    0b010 => LoadOp::Lw,
                    0b100 => LoadOp::Lbu,
                    0b101 => LoadOp::Lhu,
                    _ => return Err(illegal),
                };
                Self::Load { op, rd, rs1, imm: imm_i }
            }
            0b010_0011 => {
                let op = match funct3 {
                    0b000 => StoreOp::Sb,
                    0b001 => StoreOp::Sh,
                    0b010 => StoreOp::Sw,
                    _ => return Err(illegal),
                };
                Self::Store { op, rs1, rs2, imm: imm_s }
            }
            0b001_0011 => {
                let (op, imm) = match (funct3, funct7) {
                    (0b000, _) => (AluOp::Add, imm_i),
                    (0b010, _) => (AluOp::Slt, imm_i),
                    (0b011, _) => (AluOp::Sltu, imm_i),
                    (0b100, _) => (AluOp::Xor, imm_i),
                    (0b110, _) => (AluOp::Or, imm_i),
                    (0b111, _) => (AluOp::And, imm_i),
                    (0b001, 0b000_0000) => (AluOp::Sll, u32::from(rs2)),
                    (0b101, 0b000_0000) => (AluOp::Srl, u32::from(rs2)),
                    (0b101, 0b010_0000) => (AluOp::Sra, u32::from(rs2)),
                    _ => return Err(illegal),
                };
                Self::AluImm { op, rd, rs1, imm }
            }
            0b011_0011 => {
                let op = match (funct7, funct3) {
                    (0b000_0000, 0b000) => AluOp::Add,
                    (0b010_0000, 0b000) => AluOp::Sub,
                    (0b000_0000, 0b001) => AluOp::Sll,
                    (0b000_0000, 0b010) => AluOp::Slt,
                    (0b000_0000, 0b011) => AluOp::Sltu,
                    (0b000_0000, 0b100) => AluOp::Xor,
                    (0b000_0000, 0b101) => AluOp::Srl,
                    (0b010_0000, 0b101) => AluOp::Sra,
                    (0b000_0000, 0b110) => AluOp::Or,
                    (0b000_0000, 0b111) => AluOp::And,
                    (0b000_0001, 0b000) => AluOp::Mul,
                    (0b000_0001, 0b001) => AluOp::Mulh,
                    (0b000_0001, 0b010) => AluOp::Mulhsu,
                    (0b000_0001, 0b011) => AluOp::Mulhu,
                    (0b000_0001, 0b100) => AluOp::Div,
                    (0b000_0001, 0b101) => AluOp::Divu,
                    (0b000_0001, 0b110) => AluOp::Rem,
                    (0b000_0001, 0b111) => AluOp::Remu,
                    _ => return Err(illegal),
                };
                Self::Alu { op, rd, rs1, rs2 }
            }
            // FENCE (any predecessor/successor set; FENCE.TSO included). FENCE.I is Zifencei: not ours.
            0b000_1111 if funct3 == 0 => Self::Fence,
            0b111_0011 => match word {
                0x0000_0073 => Self::Ecall,
                0x0010_0073 => Self::Ebreak,
                _ => return Err(illegal),
            },
            _ => return Err(illegal),
        };
        Ok(insn)
    }
}

impl AluOp {
    /// Applies the operation to two register values, with the exact RISC-V semantics: shifts use
    /// the low five bits of `b`; division by zero gives all ones (quotient) or the dividend
    /// (remainder); `i32::MIN / -1` overflows to `i32::MIN` with remainder zero.
    #[inline(always)]
    pub fn apply(self, a: u32, b: u32) -> u32 {
        match self {
            Self::Add => a.wrapping_add(b),
            Self::Sub => a.wrapping_sub(b),
            Self::Sll => a << (b & 31),
            Self::Slt => u32::from((a as i32) < (b as i32)),
            Self::Sltu => u32::from(a < b),
            Self::Xor => a ^ b,
            Self::Srl => a >> (b & 31),
            Self::Sra => ((a as i32) >> (b & 31)) as u32,
            Self::Or => a | b,
            Self::And => a & b,
            Self::Mul => a.wrapping_mul(b),
            Self::Mulh => ((i64::from(a as i32) * i64::from(b as i32)) >> 32) as u32,
            Self::Mulhsu => ((i64::from(a as i32) * i64::from(b)) >> 32) as u32,
            Self::Mulhu => ((u64::from(a) * u64::from(b)) >> 32) as u32,
            Self::Div => match b {
                0 => u32::MAX,
                _ => (a as i32).wrapping_div(b as i32) as u32,
            },
            Self::Divu => a.checked_div(b).unwrap_or(u32::MAX),
            Self::Rem => match b {
                0 => a,
                _ => (a as i32).wrapping_rem(b as i32) as u32,
            },
            Self::Remu => a.checked_rem(b).unwrap_or(a),
        }
    }
}

impl BranchOp {
    /// Whether the branch is taken for register values `a` (rs1) and `b` (rs2).
    #[inline(always)]
    pub fn taken(self, a: u32, b: u32) -> bool {
        match self {
            Self::Beq => a == b,
            Self::Bne => a != b,
            Self::Blt => (a as i32) < (b as i32),
            Self::Bge => (a as i32) >= (b as i32),
            Self::Bltu => a < b,
            Self::Bgeu => a >= b,
        }
    }
}

impl LoadOp {
    /// The access width in bytes.
    pub fn width(self) -> u32 {
        match self {
            Self::Lb | Self::Lbu => 1,
            Self::Lh | Self::Lhu => 2,
            Self::Lw => 4,
        }
    }

    /// Extracts the loaded value from the aligned memory `word` containing byte address `addr`.
    #[inline(always)]
    pub fn extract(self, word: u32, addr: u32) -> u32 {
        let shifted = word >> ((addr & 3) * 8);
        match self {
            Self::Lb => shifted as u8 as i8 as i32 as u32,
            Self::Lbu => u32::from(shifted as u8),
            Self::Lh => shifted as u16 as i16 as i32 as u32,
            Self::Lhu => u32::from(shifted as u16),
            Self::Lw => word,
        }
    }
}

impl StoreOp {
    /// The access width in bytes.
    pub fn width(self) -> u32 {
        match self {
            Self::Sb => 1,
            Self::Sh => 2,
            Self::Sw => 4,
        }
    }

    /// The aligned memory word after storing `value` at byte address `addr` into `old`.
    #[inline(always)]
    pub fn merge(self, old: u32, value: u32, addr: u32) -> u32 {
        let shift = (addr & 3) * 8;
        let mask = match self {
            Self::Sb => 0xffu32,
            Self::Sh => 0xffff,
            Self::Sw => return value,
        } << shift;
        (old & !mask) | ((value << shift) & mask)
    }
}

#[cfg(test)]
mod tests;
