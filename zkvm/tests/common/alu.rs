//! Small ALU programs whose exit code is a checksum of their results, proven and verified end to
//! end: a proof that verifies with the expected exit code binds every result to the reference.

use nzero_zkvm::Proof;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, Instruction};

/// The accumulator of the checksum and the exit code (`a0`).
pub const CHECKSUM: u8 = 10;

/// A straight-line program that mirrors its register file, so each operation's result is known.
#[derive(Default)]
pub struct AluProgram {
    code: Vec<u32>,
    regs: [u32; 32],
}

impl AluProgram {
    /// `rd = value`.
    pub fn li(&mut self, rd: u8, value: u32) {
        self.code.extend(li(rd, value));
        self.set(rd, value);
    }

    /// `rd = rs1 op rs2`, which must equal `reference(rs1, rs2)`; the result joins the checksum.
    pub fn reg(&mut self, op: AluOp, rd: u8, rs1: u8, rs2: u8, reference: impl Fn(u32, u32) -> u32) {
        let (a, b) = (self.regs[rs1 as usize], self.regs[rs2 as usize]);
        self.push(Instruction::Alu { op, rd, rs1, rs2 }, rd, reference(a, b));
    }

    /// `rd = rs1 op imm` (the immediate as the executor decodes it from its encoding), which must
    /// equal `reference(rs1, imm)`; the result joins the checksum.
    pub fn imm(&mut self, op: AluOp, rd: u8, rs1: u8, imm: u32, reference: impl Fn(u32, u32) -> u32) {
        let word = Instruction::AluImm { op, rd, rs1, imm }.encode();
        let Ok(Instruction::AluImm { imm, .. }) = Instruction::decode(word) else {
            panic!("{op:?} has no immediate form")
        };
        let a = self.regs[rs1 as usize];
        self.push(Instruction::AluImm { op, rd, rs1, imm }, rd, reference(a, imm));
    }

    fn push(&mut self, insn: Instruction, rd: u8, value: u32) {
        self.code.push(insn.encode());
        self.set(rd, value);
        let add = Instruction::Alu { op: AluOp::Add, rd: CHECKSUM, rs1: CHECKSUM, rs2: rd };
        self.code.push(add.encode());
        let sum = self.regs[CHECKSUM as usize].wrapping_add(self.regs[rd as usize]);
        self.set(CHECKSUM, sum);
    }

    fn set(&mut self, rd: u8, value: u32) {
        if rd != 0 {
            self.regs[rd as usize] = value;
        }
    }

    /// The checksum so far.
    pub fn checksum(&self) -> u32 {
        self.regs[CHECKSUM as usize]
    }

    /// Halts with the checksum as exit code, proves, verifies, and checks the proven exit code.
    pub fn prove_and_verify(self) -> Proof {
        let expected = self.checksum();
        let proof = super::prove_and_verify(&super::halting(&self.code));
        assert_eq!(proof.statement.exit_code, expected, "the proof disagrees with the reference");
        proof
    }
}

/// `n` seeded random words, the same on every run.
pub fn random_words(seed: u64, n: usize) -> Vec<u32> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.random()).collect()
}
