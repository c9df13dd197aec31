//! Proving loads, stores and jumps.

mod common;

use common::CONFIG;

use nzero_abi::layout::PROGRAM_START;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{Instruction, LoadOp, StoreOp};
use nzero_zkvm::{ExecConfig, Program, prove};

const DATA: u32 = 0x0010_0000;

/// `code` then a halt (see `common::halting`), with `data` placed at `DATA`.
fn program(code: &[u32], data: &[u32]) -> Program {
    let mut program = common::halting(code);
    for (i, &word) in (0u32..).zip(data) {
        program.image.insert(DATA + 4 * i, word);
    }
    program
}

fn load(op: LoadOp, rd: u8, rs1: u8, imm: i32) -> u32 {
    Instruction::Load { op, rd, rs1, imm: imm as u32 }.encode()
}

fn store(op: StoreOp, rs1: u8, rs2: u8, imm: i32) -> u32 {
    Instruction::Store { op, rs1, rs2, imm: imm as u32 }.encode()
}

#[test]
fn every_load_width_offset_and_extension() {
    let words = [0x80ff_7f01, 0x1234_fedc];
    for op in [LoadOp::Lb, LoadOp::Lbu, LoadOp::Lh, LoadOp::Lhu, LoadOp::Lw] {
        for offset in (0..8).filter(|o| o % op.width() == 0) {
            // Base register past the data, negative immediate.
            let mut code = li(5, DATA + 16).to_vec();
            code.push(load(op, 10, 5, offset as i32 - 16));
            let exit = common::prove_exit_code(&program(&code, &words));
            let word = words[(offset / 4) as usize];
            assert_eq!(exit, op.extract(word, offset), "{op:?} at {offset}");
        }
    }
}

#[test]
fn every_store_width_and_offset_then_reload() {
    for op in [StoreOp::Sb, StoreOp::Sh, StoreOp::Sw] {
        for offset in (0..4).filter(|o| o % op.width() == 0) {
            let mut code = li(5, DATA).to_vec();
            code.extend(li(6, 0xa1b2_c3d4));
            code.push(store(op, 5, 6, offset as i32));
            code.push(load(LoadOp::Lw, 10, 5, 0));
            let exit = common::prove_exit_code(&program(&code, &[0x1122_3344]));
            assert_eq!(exit, op.merge(0x1122_3344, 0xa1b2_c3d4, offset), "{op:?} at {offset}");
        }
    }
}

#[test]
fn stores_to_untouched_memory_and_repeated_accesses() {
    // The stack top region is not in the image: its cells start at zero.
    let stack = 0x1fff_fff0;
    let mut code = li(2, stack).to_vec();
    code.extend(li(6, 7));
    code.push(store(StoreOp::Sw, 2, 6, 4));
    code.push(store(StoreOp::Sb, 2, 6, 5));
    code.push(load(LoadOp::Lw, 7, 2, 4));
    code.push(load(LoadOp::Lw, 8, 2, 8)); // never written: zero
    code.push(Instruction::Alu { op: nzero_zkvm::isa::AluOp::Add, rd: 10, rs1: 7, rs2: 8 }.encode());
    assert_eq!(common::prove_exit_code(&program(&code, &[])), 0x0707);
}

#[test]
fn jal_and_jalr_link_and_jump() {
    let base = PROGRAM_START;
    let add = |rd, rs1, rs2| Instruction::Alu { op: nzero_zkvm::isa::AluOp::Add, rd, rs1, rs2 }.encode();
    let code = vec![
        Instruction::Jal { rd: 1, imm: 8 }.encode(),   // +0 -> +8, ra = +4
        Instruction::Ebreak.encode(),                  // +4 skipped
        Instruction::Auipc { rd: 5, imm: 0 }.encode(), // +8: t0 = +8
        Instruction::Jalr { rd: 6, rs1: 5, imm: 13 }.encode(), // +12 -> (+8 + 13) & !1 = +20, t1 = +16
        Instruction::Ebreak.encode(),                  // +16 skipped
        add(10, 1, 6),                                 // +20: a0 = ra + t1
        Instruction::Jal { rd: 0, imm: 8 }.encode(),   // +24 -> +32, link discarded
        Instruction::Ebreak.encode(),                  // +28 skipped
    ];
    assert_eq!(common::prove_exit_code(&program(&code, &[])), (base + 4) + (base + 16));
}

#[test]
fn a_misaligned_or_out_of_memory_access_cannot_be_proven() {
    // The executor rejects these runs, so there is nothing to prove.
    let mut code = li(5, DATA + 2).to_vec();
    code.push(load(LoadOp::Lw, 10, 5, 0));
    assert!(prove(&program(&code, &[]), b"", &CONFIG, &ExecConfig::default()).is_err());
    let mut code = li(5, 0x40).to_vec(); // the register file's cells are not RAM
    code.push(load(LoadOp::Lw, 10, 5, 0));
    assert!(prove(&program(&code, &[]), b"", &CONFIG, &ExecConfig::default()).is_err());
}
