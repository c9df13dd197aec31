use nzero_abi::layout::{MEMORY_END, MEMORY_START, PROGRAM_START};
use nzero_abi::syscall;
use sha2::{Digest, Sha256};

use super::*;
use crate::isa::asm::li;
use crate::isa::{AluOp, BranchOp, LoadOp, StoreOp};

const DATA: u32 = 0x0010_0000;
const EDGES: [u32; 8] = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe, 0x1234_5678];
const ECALL: u32 = 0x0000_0073;

/// `code` preceded by instructions loading `regs`, mapped at `PROGRAM_START`.
fn program(regs: &[(u8, u32)], code: &[Instruction]) -> Program {
    let mut words: Vec<u32> = regs.iter().flat_map(|&(r, v)| li(r, v)).collect();
    words.extend(code.iter().map(|i| i.encode()));
    Program::from_code(PROGRAM_START, words)
}

/// Runs until the pc reaches the end of the code.
fn run_to_end<'p>(program: &'p Program, memory: &[(u32, u32)]) -> Result<Vm<'p>, ExecError> {
    let mut vm = Vm::new(program, &[]);
    for &(addr, word) in memory {
        vm.memory.set_word(addr, word);
    }
    while vm.pc() != program.code_end() {
        assert!(vm.cycles() < 10_000, "runaway test program");
        assert!(vm.step(&mut ())?.is_none(), "unexpected halt");
    }
    Ok(vm)
}

fn regs_after(regs: &[(u8, u32)], code: &[Instruction]) -> [u32; 32] {
    *run_to_end(&program(regs, code), &[]).expect("program runs").registers()
}

const ALU_OPS: [AluOp; 18] = {
    use AluOp::*;
    [Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu]
};

#[test]
fn every_register_alu_instruction_on_edge_values() {
    for op in ALU_OPS {
        for a in EDGES {
            for b in EDGES {
                let regs = regs_after(&[(5, a), (6, b)], &[Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }]);
                assert_eq!(regs[7], op.apply(a, b), "{op:?} {a:#x} {b:#x}");
                assert_eq!((regs[5], regs[6]), (a, b), "sources untouched");
            }
        }
    }
}

#[test]
fn every_immediate_alu_instruction() {
    use AluOp::*;
    for op in [Add, Slt, Sltu, Xor, Or, And] {
        for imm in [0u32, 1, 0x7ff, 0xffff_f800, 0xffff_ffff] {
            for a in EDGES {
                let regs = regs_after(&[(5, a)], &[Instruction::AluImm { op, rd: 7, rs1: 5, imm }]);
                assert_eq!(regs[7], op.apply(a, imm), "{op:?}i {a:#x} {imm:#x}");
            }
        }
    }
    for op in [Sll, Srl, Sra] {
        for shamt in 0..32 {
            let regs =
                regs_after(&[(5, 0x8765_4321)], &[Instruction::AluImm { op, rd: 7, rs1: 5, imm: shamt }]);
            assert_eq!(regs[7], op.apply(0x8765_4321, shamt), "{op:?}i {shamt}");
        }
    }
}

#[test]
fn writes_to_x0_are_discarded() {
    let regs = regs_after(
        &[(5, 7)],
        &[
            Instruction::AluImm { op: AluOp::Add, rd: 0, rs1: 5, imm: 1 },
            Instruction::Lui { rd: 0, imm: 0x1000 },
            Instruction::Alu { op: AluOp::Add, rd: 6, rs1: 0, rs2: 5 },
        ],
    );
    assert_eq!(regs[0], 0);
    assert_eq!(regs[6], 7);
}

#[test]
fn lui_and_auipc() {
    let regs = regs_after(
        &[],
        &[Instruction::Lui { rd: 1, imm: 0xfffff000 }, Instruction::Auipc { rd: 2, imm: 0x1000 }],
    );
    assert_eq!(regs[1], 0xffff_f000);
    assert_eq!(regs[2], PROGRAM_START + 4 + 0x1000);
}

#[test]
fn every_load_width_and_extension() {
    for (op, offset, want) in [
        (LoadOp::Lb, 3u32, 0xffff_ff80u32),
        (LoadOp::Lb, 0, 0x7f),
        (LoadOp::Lbu, 3, 0x80),
        (LoadOp::Lh, 2, 0xffff_80ff),
        (LoadOp::Lhu, 2, 0x80ff),
        (LoadOp::Lh, 0, 0x007f),
        (LoadOp::Lw, 0, 0x80ff_007f),
    ] {
        let program = program(
            &[(5, DATA + 8)],
            &[Instruction::Load { op, rd: 6, rs1: 5, imm: offset.wrapping_sub(8) }],
        );
        let vm = run_to_end(&program, &[(DATA, 0x80ff_007f)]).expect("load runs");
        assert_eq!(vm.registers()[6], want, "{op:?} at +{offset}");
    }
}

#[test]
fn every_store_width() {
    for (op, offset, want) in [
        (StoreOp::Sb, 0, 0x1122_33dd),
        (StoreOp::Sb, 2, 0x11dd_3344),
        (StoreOp::Sh, 2, 0xccdd_3344),
        (StoreOp::Sw, 0, 0xaabb_ccdd),
    ] {
        let program = program(
            &[(5, DATA), (6, 0xaabb_ccdd)],
            &[Instruction::Store { op, rs1: 5, rs2: 6, imm: offset }],
        );
        let vm = run_to_end(&program, &[(DATA, 0x1122_3344)]).expect("store runs");
        assert_eq!(vm.memory().word(DATA), want, "{op:?} at +{offset}");
    }
}

#[test]
fn every_branch_taken_and_not_taken() {
    use BranchOp::*;
    for op in [Beq, Bne, Blt, Bge, Bltu, Bgeu] {
        for (a, b) in [(1, 1), (1, 2), (2, 1), (0xffff_ffff, 1), (1, 0xffff_ffff)] {
            // Taken: skip the `addi x7, x0, 1`.
            let code = [
                Instruction::Branch { op, rs1: 5, rs2: 6, imm: 8 },
                Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 0, imm: 1 },
            ];
            let regs = regs_after(&[(5, a), (6, b)], &code);
            assert_eq!(regs[7] == 0, op.taken(a, b), "{op:?} {a:#x} {b:#x}");
        }
    }
}

#[test]
fn backward_branch_loops() {
    // x5 = 10; loop: x6 += x5; x5 -= 1; bne x5, x0, loop
    let regs = regs_after(
        &[(5, 10)],
        &[
            Instruction::Alu { op: AluOp::Add, rd: 6, rs1: 6, rs2: 5 },
            Instruction::AluImm { op: AluOp::Add, rd: 5, rs1: 5, imm: u32::MAX },
            Instruction::Branch { op: BranchOp::Bne, rs1: 5, rs2: 0, imm: (-8i32) as u32 },
        ],
    );
    assert_eq!(regs[6], 55);
}

#[test]
fn jal_and_jalr_link_and_jump() {
    let base = PROGRAM_START;
    let code = [
        Instruction::Jal { rd: 1, imm: 8 }, // base+0 -> base+8
        Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 0, imm: 1 }, // skipped
        Instruction::Jalr { rd: 2, rs1: 1, imm: 13 }, // (base+4+13) & !1 = base+16
        Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 0, imm: 2 }, // skipped
    ];
    let regs = regs_after(&[], &code);
    assert_eq!(regs[1], base + 4);
    assert_eq!(regs[2], base + 12);
    assert_eq!(regs[7], 0);
}

#[test]
fn jalr_with_rd_equal_rs1_uses_the_old_value() {
    let code = [
        Instruction::Auipc { rd: 5, imm: 0 },
        Instruction::Jalr { rd: 5, rs1: 5, imm: 12 }, // to auipc + 12 = the end
        Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 0, imm: 1 },
    ];
    let regs = regs_after(&[], &code);
    assert_eq!(regs[5], PROGRAM_START + 8);
    assert_eq!(regs[7], 0);
}

#[test]
fn fence_is_a_no_op() {
    let regs = regs_after(&[(5, 3)], &[Instruction::Fence]);
    assert_eq!(regs[5], 3);
}

fn error_of(regs: &[(u8, u32)], code: &[Instruction]) -> ExecError {
    match run_to_end(&program(regs, code), &[]) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// The pc of the first instruction after `n` register loads.
fn pc_after_loads(n: u32) -> u32 {
    PROGRAM_START + 8 * n
}

#[test]
fn misaligned_accesses_are_errors() {
    let pc = pc_after_loads(1);
    let cases = [
        (Instruction::Load { op: LoadOp::Lw, rd: 6, rs1: 5, imm: 2 }, DATA + 2, 4),
        (Instruction::Load { op: LoadOp::Lh, rd: 6, rs1: 5, imm: 1 }, DATA + 1, 2),
        (Instruction::Load { op: LoadOp::Lhu, rd: 6, rs1: 5, imm: 3 }, DATA + 3, 2),
        (Instruction::Store { op: StoreOp::Sw, rs1: 5, rs2: 6, imm: 1 }, DATA + 1, 4),
        (Instruction::Store { op: StoreOp::Sh, rs1: 5, rs2: 6, imm: 3 }, DATA + 3, 2),
    ];
    for (insn, addr, width) in cases {
        assert_eq!(error_of(&[(5, DATA)], &[insn]), ExecError::MisalignedAccess { pc, addr, width });
    }
}

#[test]
fn accesses_outside_memory_are_errors() {
    let pc = pc_after_loads(1);
    for addr in [0, 4, MEMORY_START - 4, MEMORY_END, 0xffff_fffc] {
        let load = Instruction::Load { op: LoadOp::Lw, rd: 6, rs1: 5, imm: 0 };
        assert_eq!(error_of(&[(5, addr)], &[load]), ExecError::MemoryOutOfBounds { pc, addr });
        let store = Instruction::Store { op: StoreOp::Sb, rs1: 5, rs2: 6, imm: 0 };
        assert_eq!(error_of(&[(5, addr)], &[store]), ExecError::MemoryOutOfBounds { pc, addr });
    }
}

#[test]
fn code_is_data_too_but_stores_never_change_what_executes() {
    let load = Instruction::Load { op: LoadOp::Lw, rd: 6, rs1: 5, imm: 0 };
    let regs = regs_after(&[(5, PROGRAM_START)], &[load]);
    assert_eq!(regs[6], li(5, PROGRAM_START)[0], "loads see the code words");
    // Overwrite the next instruction's word with an illegal one: execution fetches the original.
    let code = [
        Instruction::Store { op: StoreOp::Sw, rs1: 5, rs2: 0, imm: 12 },
        Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 0, imm: 9 },
        Instruction::Load { op: LoadOp::Lw, rd: 8, rs1: 5, imm: 12 },
    ];
    let regs = regs_after(&[(5, PROGRAM_START)], &code);
    assert_eq!(regs[7], 9, "the overwritten instruction still executes");
    assert_eq!(regs[8], 0, "the data view sees the store");
}

#[test]
fn control_flow_errors() {
    let pc = PROGRAM_START;
    assert_eq!(
        error_of(&[], &[Instruction::Jal { rd: 0, imm: 2 }]),
        ExecError::MisalignedJump { pc, target: pc + 2 }
    );
    assert_eq!(
        error_of(&[], &[Instruction::Branch { op: BranchOp::Beq, rs1: 0, rs2: 0, imm: 6 }]),
        ExecError::MisalignedJump { pc, target: pc + 6 }
    );
    assert_eq!(
        error_of(&[], &[Instruction::Jal { rd: 0, imm: 0x1000 }]),
        ExecError::PcOutOfCode { pc: pc + 0x1000 }
    );
    assert_eq!(
        error_of(&[], &[Instruction::Jal { rd: 0, imm: (-8i32) as u32 }]),
        ExecError::PcOutOfCode { pc: pc - 8 }
    );
    assert_eq!(error_of(&[], &[Instruction::Ebreak]), ExecError::Breakpoint { pc });
}

#[test]
fn illegal_instruction_is_an_error_only_when_executed() {
    let program =
        Program::from_code(PROGRAM_START, vec![Instruction::Jal { rd: 0, imm: 8 }.encode(), 0xffff_ffff]);
    run_to_end(&program, &[]).expect("the illegal word is jumped over");
    let program = Program::from_code(PROGRAM_START, vec![0x0000_0013, 0xffff_ffff]);
    assert_eq!(
        run_to_end(&program, &[]).err(),
        Some(ExecError::IllegalInstruction { pc: PROGRAM_START + 4, word: 0xffff_ffff })
    );
}

#[test]
fn cycle_limit_is_an_error() {
    let program = program(&[], &[Instruction::Jal { rd: 0, imm: 0 }]); // an endless loop
    let err = execute(&program, &[], &ExecConfig { max_cycles: 1000 }).unwrap_err();
    assert_eq!(err, ExecError::CycleLimitExceeded { limit: 1000, pc: PROGRAM_START });
}

/// A program that commits `public` (placed in memory at `DATA`) and halts with `exit_code`,
/// claiming `digest` (placed at `DATA + 0x100`).
fn halting_program(public: &[u8], exit_code: u32, digest: [u8; 32]) -> Program {
    let a = |n: u8| 10 + n;
    let mut code = vec![];
    for (reg, value) in [(a(0), DATA), (a(1), public.len() as u32), (17, syscall::COMMIT)] {
        code.extend(li(reg, value));
    }
    code.push(ECALL);
    for (reg, value) in [(a(0), exit_code), (a(1), DATA + 0x100), (17, syscall::HALT)] {
        code.extend(li(reg, value));
    }
    code.push(ECALL);
    let mut program = Program::from_code(PROGRAM_START, code);
    for (i, chunk) in public.chunks(4).enumerate() {
        let mut word = [0; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        program.image.insert(DATA + 4 * i as u32, u32::from_le_bytes(word));
    }
    for (i, chunk) in digest.chunks(4).enumerate() {
        program.image.insert(DATA + 0x100 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program
}

#[test]
fn halt_reports_exit_code_public_values_and_digest() {
    let public = b"hello, chain";
    let digest: [u8; 32] = Sha256::digest(public).into();
    for exit_code in [0, 1, 101, u32::MAX] {
        let run = execute(&halting_program(public, exit_code, digest), &[], &ExecConfig::default()).unwrap();
        assert_eq!(run.exit_code, exit_code);
        assert_eq!(run.public_values, public);
        assert_eq!(run.public_values_digest, digest);
        assert_eq!(run.cycles, 2 * (3 * 2 + 1), "two `li` pairs of three registers and an ecall, twice");
    }
}

#[test]
fn halt_with_a_wrong_digest_is_an_error() {
    let public = b"hello, chain";
    let mut digest: [u8; 32] = Sha256::digest(public).into();
    digest[31] ^= 1;
    let err = execute(&halting_program(public, 0, digest), &[], &ExecConfig::default()).unwrap_err();
    assert!(matches!(err, ExecError::DigestMismatch { claimed, .. } if claimed == digest), "{err:?}");
}

#[test]
fn input_syscalls_read_words_in_order() {
    let mut code = vec![];
    code.extend(li(17, syscall::INPUT_LEN));
    code.push(ECALL);
    code.push(Instruction::AluImm { op: AluOp::Add, rd: 5, rs1: 10, imm: 0 }.encode());
    code.extend(li(17, syscall::READ_INPUT_WORD));
    code.push(ECALL);
    code.push(Instruction::AluImm { op: AluOp::Add, rd: 6, rs1: 10, imm: 0 }.encode());
    code.push(ECALL);
    code.push(Instruction::AluImm { op: AluOp::Add, rd: 7, rs1: 10, imm: 0 }.encode());
    code.push(ECALL);
    let program = Program::from_code(PROGRAM_START, code);
    let mut vm = Vm::new(&program, &[1, 2, 3, 4, 5, 6]);
    while vm.pc() != program.code_end() {
        vm.step(&mut ()).unwrap();
    }
    assert_eq!(vm.registers()[5], 6);
    assert_eq!(vm.registers()[6], 0x0403_0201);
    assert_eq!(vm.registers()[7], 0x0000_0605, "zero-padded past the end");
    assert_eq!(vm.registers()[10], 0, "zero once exhausted");
}

#[test]
fn syscall_errors() {
    let pc = pc_after_loads(1);
    assert_eq!(error_of(&[(17, 99)], &[Instruction::Ecall]), ExecError::UnknownSyscall { pc, number: 99 });
    let pc = pc_after_loads(4);
    let write = |fd, ptr, len| [(17, syscall::WRITE), (10, fd), (11, ptr), (12, len)];
    assert_eq!(
        error_of(&write(3, DATA, 1), &[Instruction::Ecall]),
        ExecError::BadFileDescriptor { pc, fd: 3 }
    );
    assert_eq!(
        error_of(&write(1, MEMORY_END - 2, 4), &[Instruction::Ecall]),
        ExecError::MemoryOutOfBounds { pc, addr: MEMORY_END }
    );
    assert_eq!(
        error_of(&write(1, 0xffff_fff0, 0x20), &[Instruction::Ecall]),
        ExecError::MemoryOutOfBounds { pc, addr: u32::MAX }
    );
    assert_eq!(
        error_of(&write(1, DATA, MAX_OUTPUT as u32 + 1), &[Instruction::Ecall]),
        ExecError::OutputLimitExceeded { pc, limit: MAX_OUTPUT }
    );
    let pc = pc_after_loads(3);
    let halt = [(17, syscall::HALT), (10, 0), (11, DATA + 2)];
    assert_eq!(
        error_of(&halt, &[Instruction::Ecall]),
        ExecError::MisalignedAccess { pc, addr: DATA + 2, width: 4 }
    );
}

#[test]
fn debug_output_is_captured() {
    let mut program = halting_program(b"", 0, Sha256::digest(b"").into());
    let mut code: Vec<u32> = [(17, syscall::WRITE), (10, 2), (11, DATA + 0x200), (12, 3)]
        .iter()
        .flat_map(|&(r, v)| li(r, v))
        .collect();
    code.push(ECALL);
    code.extend(&program.code);
    let image = std::mem::take(&mut program.image);
    let mut program = Program::from_code(PROGRAM_START, code);
    program.image.extend(image.into_iter().filter(|&(a, _)| a >= DATA));
    program.image.insert(DATA + 0x200, u32::from_le_bytes(*b"hey!"));
    let run = execute(&program, &[], &ExecConfig::default()).unwrap();
    assert_eq!(run.stderr, b"hey");
    assert!(run.stdout.is_empty());
}

#[test]
fn trace_records_every_step() {
    let program = program(
        &[(5, DATA)],
        &[
            Instruction::Store { op: StoreOp::Sb, rs1: 5, rs2: 5, imm: 1 },
            Instruction::Load { op: LoadOp::Lw, rd: 6, rs1: 5, imm: 0 },
            Instruction::Alu { op: AluOp::Add, rd: 7, rs1: 6, rs2: 5 },
        ],
    );
    let mut vm = Vm::new(&program, &[]);
    let mut record = ExecutionRecord::default();
    while vm.pc() != program.code_end() {
        vm.step(&mut record).unwrap();
    }
    let steps = &record.steps[2..];
    let store = Step {
        pc: PROGRAM_START + 8,
        next_pc: PROGRAM_START + 12,
        rs1_value: DATA,
        rs2_value: DATA,
        rd_value: 0,
        mem_addr: DATA + 1,
        mem_before: 0,
        mem_after: 0, // the low byte of DATA (0x0010_0000) is zero
    };
    assert_eq!(steps[0], store);
    assert_eq!(steps[1].mem_addr, DATA);
    assert_eq!(steps[1].rd_value, 0);
    assert_eq!(steps[2].rd_value, DATA);
    assert_eq!(steps[2].rs1_value, 0);
    assert_eq!(record.steps.len() as u64, vm.cycles());
}
