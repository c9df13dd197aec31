//! Soundness: a real trace with one corrupted cell must not yield a proof that verifies.

use nzero_poseidon2::Poseidon2MerkleChannel;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use stwo::core::fields::m31::M31;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;
use stwo::prover::backend::BackendForChannel;
use stwo::prover::backend::simd::SimdBackend;

use super::witness::{Witness, generate};
use super::{ProveError, prove_witness, prove_witness_in};
use crate::air::tables::{BITWISE_OPS, BitwiseTableCols, range_is_preprocessed};
use crate::air::{ComponentKind, PreprocessedTables};
use crate::class::{EVM_TABLE_LOG_SIZE, SizeClass};
use crate::config::StarkConfig;
use crate::executor::{ExecConfig, trace};
use crate::hash::ProofHash;
use crate::program::Program;
use crate::proof::{ProgramKey, Proof};
use crate::verifier::verify;

const CONFIG: StarkConfig = StarkConfig::insecure_for_tests();

/// The honest witness of `program` on `input`.
pub(crate) fn honest_witness(program: &Program, input: &[u8]) -> (PreprocessedTables, Witness) {
    let (_, record) = trace(program, input, &ExecConfig::default()).expect("the program runs");
    let tables = PreprocessedTables::new(program);
    let witness = generate(&tables, program.code_start, &record.steps).expect("witness");
    (tables, witness)
}

/// Whether a (possibly tampered) witness yields a proof that verifies with these public values.
pub(crate) fn accepted(
    program: &Program,
    key: &ProgramKey,
    tables: &PreprocessedTables,
    witness: Witness,
    public_values: &[u8],
) -> bool {
    match prove_witness::<Blake2sMerkleChannel>(
        program,
        tables,
        witness,
        &CONFIG,
        crate::class::SizeClass::C16,
    ) {
        Ok(proof) => verify(&proof, key, public_values, &CONFIG).is_ok(),
        Err(ProveError::Stark(_)) => false,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// Rows of `kind` that take part in the execution (padding rows may hold anything in columns no
/// constraint reads there).
fn live_rows(witness: &Witness, kind: ComponentKind, index: usize) -> usize {
    match kind {
        // Tables: every row is live (multiplicities, preprocessed contents).
        ComponentKind::Program
        | ComponentKind::Range(_)
        | ComponentKind::Image
        | ComponentKind::BitwiseTable
        | ComponentKind::ShiftTable => witness.columns[index].first().map_or(0, Vec::len),
        // Chips and the boundary: the enabled flag is their first column.
        _ => witness.columns[index][0].iter().take_while(|&&v| v == M31::from(1)).count(),
    }
}

/// Whether an accepted mutation of `columns` (the main trace of `kind`, mutated in `column`) is
/// harmless: it changed the contents (not a multiplicity) of a table whose contents are main-trace
/// columns, and every entry of the table is still true (range values below `2^bits`; bytes by boolean
/// bits with `and = a & b`). Such a table still yields only true tuples, so accepting it is sound —
/// and it happens: a cell of a row no lookup uses may move to another valid entry (the last range
/// value reset to 0; see `a_range_table_reset_on_an_unused_row_is_a_valid_table`). Every other
/// acceptance, in these tables or any other component, fails the harness.
fn still_a_valid_table(kind: ComponentKind, column: usize, columns: &[Vec<M31>]) -> bool {
    match kind {
        ComponentKind::Range(bits) if !range_is_preprocessed(bits) => {
            column == 1 && columns[1].iter().all(|v| v.0 < 1 << bits)
        }
        ComponentKind::BitwiseTable => {
            column >= BITWISE_OPS.len() && (0..columns[0].len()).all(|row| {
                let mut cells = columns.iter().map(|c| c[row]);
                let cols = BitwiseTableCols::read(&mut || cells.next().expect("a cell per column"));
                let byte = |bits: &[M31; 8]| -> Option<u32> {
                    bits.iter().rev().try_fold(0, |acc, b| (b.0 <= 1).then_some(2 * acc + b.0))
                };
                matches!((byte(&cols.a_bits), byte(&cols.b_bits)), (Some(a), Some(b)) if cols.and.0 == a & b)
            })
        }
        _ => false,
    }
}

/// Corrupts `per_component` seeded random cells of the live rows of every component of `program`'s
/// trace, one at a time, and asserts each corrupted trace is rejected.
pub(crate) fn assert_every_mutation_rejected(
    program: &Program,
    input: &[u8],
    per_component: usize,
    seed: u64,
) {
    assert_mutations_rejected(program, input, seed, |rng, _, n_columns, rows| {
        (0..per_component).map(|_| (rng.random_range(0..n_columns), rng.random_range(0..rows))).collect()
    });
}

/// Corrupts `per_column` seeded random live cells of every column of the components in `kinds` (a
/// chip and its tables), one at a time, and asserts each corrupted trace is rejected: every column
/// is tried while the test stays short.
pub(crate) fn assert_every_column_mutation_rejected(
    program: &Program,
    input: &[u8],
    kinds: &[ComponentKind],
    per_column: usize,
    seed: u64,
) {
    assert_mutations_rejected(program, input, seed, |rng, kind, n_columns, rows| {
        let mut cells = Vec::new();
        if kinds.contains(&kind) {
            for column in 0..n_columns {
                for _ in 0..per_column {
                    cells.push((column, rng.random_range(0..rows)));
                }
            }
        }
        cells
    });
}

/// Corrupts each cell `(column, row)` that `cells(rng, kind, n_columns, live rows)` picks in each
/// component, one at a time, by a seeded random nonzero amount, and asserts each corrupted trace is
/// rejected.
fn assert_mutations_rejected(
    program: &Program,
    input: &[u8],
    seed: u64,
    mut cells: impl FnMut(&mut StdRng, ComponentKind, usize, usize) -> Vec<(usize, usize)>,
) {
    let (execution, _) = trace(program, input, &ExecConfig::default()).expect("the program runs");
    let public = execution.public_values;
    let (tables, honest) = honest_witness(program, input);
    let (_, _, key) = super::program_key(program);
    assert!(accepted(program, &key, &tables, honest.clone(), &public), "the honest witness must be accepted");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tried = 0;
    for (index, kind) in ComponentKind::all().into_iter().enumerate() {
        let n_columns = honest.columns[index].len();
        let rows = live_rows(&honest, kind, index);
        if n_columns == 0 || rows == 0 {
            continue;
        }
        for (column, row) in cells(&mut rng, kind, n_columns, rows) {
            let delta = M31::from(rng.random_range(1..(1u32 << 31) - 1));
            let mut witness = honest.clone();
            witness.columns[index][column][row] += delta;
            let harmless = still_a_valid_table(kind, column, &witness.columns[index]);
            assert!(
                !accepted(program, &key, &tables, witness, &public) || harmless,
                "{kind:?} column {column} row {row} + {delta:?} was accepted (seed {seed})"
            );
            tried += 1;
        }
    }
    assert!(tried > 0);
}

#[test]
fn corrupting_any_cell_of_the_add_sub_ecall_halt_trace_is_rejected() {
    use nzero_abi::syscall;

    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0xffff_fff0));
    code.extend(li(6, 0x7fff_ffff));
    code.push(Instruction::Alu { op: AluOp::Add, rd: 7, rs1: 5, rs2: 6 }.encode());
    code.push(Instruction::Alu { op: AluOp::Sub, rd: 8, rs1: 5, rs2: 6 }.encode());
    code.extend(li(17, syscall::READ_INPUT_WORD));
    code.push(0x73);
    let program = halting_program(code);
    assert_every_mutation_rejected(&program, &[9, 9, 9, 9], 8, 7);
}

/// Loads of every width, stores of every width, `jal` and `jalr`, then a halt.
fn memory_and_jump_program() -> Program {
    use nzero_abi::layout::PROGRAM_START;

    use crate::isa::asm::li;
    use crate::isa::{Instruction, LoadOp, StoreOp};
    let mut code = li(5, 0x0010_0010).to_vec();
    code.extend(li(6, 0xa1b2_c3d4));
    for (op, imm) in
        [(LoadOp::Lw, -16), (LoadOp::Lb, -13), (LoadOp::Lbu, -13), (LoadOp::Lh, -14), (LoadOp::Lhu, -14)]
    {
        code.push(Instruction::Load { op, rd: 10, rs1: 5, imm: imm as u32 }.encode());
    }
    for (op, imm) in [(StoreOp::Sw, -12), (StoreOp::Sh, -10), (StoreOp::Sb, -9)] {
        code.push(Instruction::Store { op, rs1: 5, rs2: 6, imm: imm as u32 }.encode());
    }
    code.push(Instruction::Jal { rd: 1, imm: 4 }.encode());
    code.push(Instruction::Auipc { rd: 7, imm: 0 }.encode());
    code.push(Instruction::Jalr { rd: 1, rs1: 7, imm: 13 }.encode());
    code.push(Instruction::Ebreak.encode());
    for (reg, value) in [(10, 0), (11, 0x0020_0000), (17, 0)] {
        code.extend(li(reg, value));
    }
    code.push(Instruction::Ecall.encode());
    let mut program = Program::from_code(PROGRAM_START, code);
    use sha2::Digest;
    for (i, chunk) in sha2::Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(0x0020_0000 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program.image.insert(0x0010_0000, 0x80ff_7f01);
    program
}

/// Recomputing the committed trace's evaluations instead of keeping them (the EVM prover's memory
/// saving) yields the same proof, byte for byte: with Blake2s (Stwo's default, which streams a tree's
/// columns all at once) and with Poseidon2 at the test class's EVM shape (blocks of 16 columns, the
/// FRI quotients and the decommitment recomputed a block at a time).
#[test]
fn recomputing_evaluations_yields_the_same_proof() {
    let program = memory_and_jump_program();
    let (tables, witness) = honest_witness(&program, b"");
    let [recomputed, kept] =
        prove_both_ways::<Blake2sMerkleChannel>(&program, &tables, &witness, &CONFIG, SizeClass::C16);
    assert_eq!(recomputed.to_bytes(), kept.to_bytes(), "Blake2s");

    let tables = tables.padded_to(EVM_TABLE_LOG_SIZE).expect("fits the EVM tables");
    let mut witness = witness;
    witness.pad_to_evm(SizeClass::Test).expect("fits the test class");
    let config = StarkConfig::evm_insecure_for_tests();
    let [recomputed, kept] =
        prove_both_ways::<Poseidon2MerkleChannel>(&program, &tables, &witness, &config, SizeClass::Test);
    assert_eq!(recomputed.to_bytes(), kept.to_bytes(), "Poseidon2");
    let (execution, _) = trace(&program, b"", &ExecConfig::default()).expect("the program runs");
    let key = super::program_key(&program).2;
    verify(&recomputed, &key, &execution.public_values, &config).expect("the recomputed proof verifies");
}

/// `witness` proven with its evaluations recomputed, then kept.
fn prove_both_ways<H: ProofHash>(
    program: &Program,
    tables: &PreprocessedTables,
    witness: &Witness,
    config: &StarkConfig,
    class: SizeClass,
) -> [Proof<H>; 2]
where
    SimdBackend: BackendForChannel<H>,
{
    [true, false].map(|recompute| {
        prove_witness_in::<H>(program, tables, witness.clone(), config, class, recompute).expect("proves")
    })
}

#[test]
fn honest_witnesses_satisfy_every_constraint() {
    let (tables, witness) = honest_witness(&memory_and_jump_program(), &[]);
    let failures = super::debug::failing_constraints(&tables, &witness);
    assert!(failures.is_empty(), "(component, row, constraint): {failures:?}");
}

#[test]
fn corrupting_any_cell_of_the_load_store_jump_trace_is_rejected() {
    let kinds = [ComponentKind::Load, ComponentKind::Store, ComponentKind::Jump, ComponentKind::Boundary];
    assert_every_column_mutation_rejected(&memory_and_jump_program(), &[], &kinds, 1, 11);
}

#[test]
fn every_constraint_fits_the_degree_bound() {
    use stwo_constraint_framework::FrameworkEval;
    use stwo_constraint_framework::expr::ExprEvaluator;

    use crate::air::{Relations, with_eval};
    // `max_constraint_log_degree_bound = log_size + 1` admits degree 3: a pair of lookups whose
    // tuple entries are linear, or a plain constraint of degree at most 3.
    for kind in ComponentKind::all() {
        with_eval!(kind, 5, Relations::dummy(), |eval| {
            let degrees = eval.evaluate(ExprEvaluator::new()).constraint_degree_bounds();
            for (i, degree) in degrees.into_iter().enumerate() {
                assert!(degree <= 3, "{kind:?} constraint {i} has degree {degree}");
            }
        });
    }
}

#[test]
fn corrupting_any_column_of_the_compare_and_branch_traces_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, BranchOp, Instruction};

    let slt = |op, rd, rs1, rs2| Instruction::Alu { op, rd, rs1, rs2 }.encode();
    let slti = |op, rd, rs1, imm| Instruction::AluImm { op, rd, rs1, imm }.encode();
    let branch = |op, rs1, rs2| Instruction::Branch { op, rs1, rs2, imm: 8 }.encode();
    let addi = |rd, rs1, imm: i32| Instruction::AluImm { op: AluOp::Add, rd, rs1, imm: imm as u32 }.encode();
    let mut code = vec![];
    for (reg, value) in [(5, u32::MAX), (6, 1), (7, 0x8000_0000), (8, 0x7fff_ffff)] {
        code.extend(li(reg, value));
    }
    // Signed and unsigned disagree on each of these.
    code.push(slt(AluOp::Slt, 9, 5, 6));
    code.push(slt(AluOp::Sltu, 9, 5, 6));
    code.push(slt(AluOp::Slt, 9, 8, 7));
    code.push(slt(AluOp::Sltu, 9, 8, 7));
    code.push(slti(AluOp::Slt, 9, 7, u32::MAX));
    code.push(slti(AluOp::Sltu, 9, 6, u32::MAX));
    code.push(slt(AluOp::Sltu, 0, 5, 5));
    // Each branch taken (rs1, rs2) and not taken (rs2, rs1 or unequal), over an increment.
    for (op, taken, not_taken) in [
        (BranchOp::Beq, (5, 5), (5, 6)),
        (BranchOp::Bne, (5, 6), (6, 6)),
        (BranchOp::Blt, (5, 6), (6, 5)),
        (BranchOp::Bge, (6, 5), (7, 8)),
        (BranchOp::Bltu, (6, 5), (5, 6)),
        (BranchOp::Bgeu, (5, 6), (6, 5)),
    ] {
        for (rs1, rs2) in [taken, not_taken] {
            code.push(branch(op, rs1, rs2));
            code.push(addi(10, 10, 1));
        }
    }
    // A backward branch closing a loop that runs twice.
    code.extend(li(9, 2));
    code.push(addi(9, 9, -1));
    code.push(Instruction::Branch { op: BranchOp::Bne, rs1: 9, rs2: 0, imm: (-4i32) as u32 }.encode());
    let program = halting_program(code);
    assert_every_column_mutation_rejected(
        &program,
        &[],
        &[ComponentKind::Compare, ComponentKind::Branch],
        1,
        11,
    );
}

/// `code`, then a halt with exit code 0 and the digest of empty public values.
fn halting_program(mut code: Vec<u32>) -> Program {
    use nzero_abi::layout::PROGRAM_START;
    use nzero_abi::syscall;
    use sha2::Digest;

    use crate::isa::asm::li;

    for (reg, value) in [(10, 0), (11, 0x0010_0000), (17, syscall::HALT)] {
        code.extend(li(reg, value));
    }
    code.push(0x73);
    let mut program = Program::from_code(PROGRAM_START, code);
    for (i, chunk) in sha2::Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(0x0010_0000 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program
}

#[test]
fn corrupting_any_cell_of_the_bitwise_trace_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0xf0f0_a5a5));
    code.extend(li(6, 0x8001_7fff));
    for op in [AluOp::And, AluOp::Or, AluOp::Xor] {
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }.encode());
        code.push(Instruction::AluImm { op, rd: 8, rs1: 7, imm: 0xa5c }.encode());
    }
    let kinds = [ComponentKind::Bitwise, ComponentKind::BitwiseTable];
    assert_every_column_mutation_rejected(&halting_program(code), &[], &kinds, 1, 11);
}

#[test]
fn corrupting_any_cell_of_the_shift_trace_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0x9234_5678));
    code.extend(li(6, 0xffff_ffe5)); // shift amount 5, in a register holding more
    code.extend(li(9, 20));
    for op in [AluOp::Sll, AluOp::Srl, AluOp::Sra] {
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }.encode());
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 9 }.encode());
        code.push(Instruction::AluImm { op, rd: 8, rs1: 5, imm: 17 }.encode());
    }
    let kinds = [ComponentKind::Shift, ComponentKind::ShiftTable];
    assert_every_column_mutation_rejected(&halting_program(code), &[], &kinds, 1, 13);
}

/// `rd = op(x, y)` for each `(op, x, y)`, through x5 and x6.
fn alu_cases(cases: &[(crate::isa::AluOp, u32, u32)]) -> Vec<u32> {
    use crate::isa::Instruction;
    use crate::isa::asm::li;

    let mut code = vec![];
    for (i, &(op, x, y)) in (0u8..).zip(cases) {
        code.extend(li(5, x));
        code.extend(li(6, y));
        code.push(Instruction::Alu { op, rd: 7 + i % 8, rs1: 5, rs2: 6 }.encode());
    }
    code
}

#[test]
fn corrupting_any_cell_of_the_mul_trace_is_rejected() {
    use crate::isa::AluOp::{Mul, Mulh, Mulhsu, Mulhu};

    let code = alu_cases(&[
        (Mul, 0xffff_fff9, 0x1234_5679),
        (Mulh, 0x8000_0000, 0x8000_0000),
        (Mulh, 0xffff_fff9, 0x0001_2345),
        (Mulhsu, 0xffff_fff9, 0xffff_ffff),
        (Mulhu, 0xffff_ffff, 0xffff_ffff),
        (Mulhsu, 0x7fff_ffff, 0x8000_0000),
    ]);
    assert_every_column_mutation_rejected(&halting_program(code.clone()), &[], &[ComponentKind::Mul], 1, 21);
}

#[test]
fn corrupting_any_cell_of_the_divrem_trace_is_rejected() {
    use crate::isa::AluOp::{Div, Divu, Rem, Remu};

    let code = alu_cases(&[
        (Div, -7i32 as u32, 2),
        (Divu, 7, 0),
        (Rem, 0x8000_0000, u32::MAX),
        (Remu, u32::MAX, 0x1_0000),
        (Div, 0x8000_0000, u32::MAX),
        (Rem, 5, 0),
        (Divu, 100, 7),
        (Rem, -100i32 as u32, -7i32 as u32),
        (Div, 0x8000_0000, 0xffff),
    ]);
    assert_every_column_mutation_rejected(
        &halting_program(code.clone()),
        &[],
        &[ComponentKind::DivRem],
        1,
        22,
    );
}

/// Whether a proof of `program` verifies when the record claims `rd_value` as the result of the
/// first step executing `opcode` (the program must not read that result again).
fn accepts_claimed_result(program: &Program, opcode: crate::air::opcode::Opcode, rd_value: u32) -> bool {
    let (execution, mut record) = trace(program, &[], &ExecConfig::default()).expect("the program runs");
    let tables = PreprocessedTables::new(program);
    let step = record
        .steps
        .iter_mut()
        .find(|s| tables.program[((s.pc - program.code_start) / 4) as usize].opcode == opcode)
        .expect("the opcode executes");
    step.rd_value = rd_value;
    let witness = generate(&tables, program.code_start, &record.steps).expect("witness");
    let (_, _, key) = super::program_key(program);
    accepted(program, &key, &tables, witness, &execution.public_values)
}

#[test]
fn divrem_rejects_every_quotient_and_remainder_but_the_risc_v_ones() {
    use crate::air::opcode::Opcode;
    use crate::isa::AluOp::{self, Div, Divu, Rem, Remu};

    const MIN: u32 = 0x8000_0000;
    let neg = |x: i32| x as u32;
    // Each forged result keeps q·b + r = a (the witness derives the other value from it) and
    // breaks exactly one of the chip's other constraints.
    let cases: [(AluOp, Opcode, u32, u32, u32, &str); 7] = [
        (Div, Opcode::Div, neg(-7), 2, neg(-4), "floor division: the remainder 1 has the wrong sign"),
        (Rem, Opcode::Rem, 7, neg(-2), neg(-1), "the remainder -1 has the wrong sign"),
        (Div, Opcode::Div, 0, neg(-2), MIN, "the overflow bit without b = -1"),
        (Div, Opcode::Div, MIN, u32::MAX, 0x7fff_ffff, "|r| = 1 is not below |b| = 1"),
        (Divu, Opcode::Divu, 7, 0, 5, "b = 0 but the quotient is not all ones"),
        (Divu, Opcode::Divu, 7, 2, 2, "the remainder 3 is not below 2"),
        (Remu, Opcode::Remu, 7, 2, 3, "the remainder 3 is not below 2"),
    ];
    for (op, opcode, a, b, forged, why) in cases {
        let program = halting_program(alu_cases(&[(op, a, b)]));
        assert!(accepts_claimed_result(&program, opcode, op.apply(a, b)), "{op:?}({a:#x}, {b:#x}) honest");
        assert!(
            !accepts_claimed_result(&program, opcode, forged),
            "{op:?}({a:#x}, {b:#x}) = {forged:#x}: {why}"
        );
    }
}

/// A load that returns a value never written, with every other cell made consistent with it (the
/// load row's decomposition and result, the byte range counts, the boundary's final values): every
/// constraint holds, and only the memory argument can object — and it does.
#[test]
fn a_forged_read_cannot_balance_the_memory_argument() {
    use crate::air::boundary::BoundaryCols;
    use crate::air::chips::load::LoadCols;
    use crate::air::opcode::SCRATCH_REGISTER;
    use crate::air::tables::word_limbs;
    use crate::isa::asm::li;
    use crate::isa::{Instruction, LoadOp, StoreOp};

    const DATA: u32 = 0x0030_0000; // clear of the digest `halting_program` places
    const WRITTEN: u32 = 0x1234_5678;
    const FORGED: u32 = 0x0bad_f00d;
    let mut code = li(5, DATA).to_vec();
    code.extend(li(6, WRITTEN));
    code.push(Instruction::Store { op: StoreOp::Sw, rs1: 5, rs2: 6, imm: 0 }.encode());
    // Load into x0 (the scratch register), so the forged value goes nowhere else.
    code.push(Instruction::Load { op: LoadOp::Lw, rd: 0, rs1: 5, imm: 0 }.encode());
    let program = halting_program(code);
    let (tables, mut witness) = honest_witness(&program, &[]);
    let index = |kind| ComponentKind::all().iter().position(|&k| k == kind).expect("listed");

    // The load row reads FORGED instead of WRITTEN.
    let load = &mut witness.columns[index(ComponentKind::Load)];
    let mut cells = load.iter().map(|column| column[0]);
    let mut row = LoadCols::read(&mut || cells.next().expect("a cell per column"));
    let old_bytes = [WRITTEN & 0xff, (WRITTEN >> 8) & 0xff];
    row.mem.value = word_limbs(FORGED);
    row.half = M31::from(FORGED & 0xffff);
    row.bytes = [M31::from(FORGED & 0xff), M31::from((FORGED >> 8) & 0xff)];
    row.byte = row.bytes[0];
    row.result = word_limbs(FORGED);
    let mut fresh: Vec<Vec<M31>> = vec![Vec::new(); load.len()];
    row.write(&mut fresh.iter_mut());
    for (column, cell) in load.iter_mut().zip(fresh) {
        column[0] = cell[0];
    }
    // The byte range checks move with the bytes.
    let bytes8 = &mut witness.columns[index(ComponentKind::Range(8))][0];
    for (old, new) in old_bytes.iter().zip([FORGED & 0xff, (FORGED >> 8) & 0xff]) {
        bytes8[*old as usize] -= M31::from(1);
        bytes8[new as usize] += M31::from(1);
    }
    // The RAM word and the scratch register end holding FORGED.
    let boundary = &mut witness.columns[index(ComponentKind::Boundary)];
    let rows = boundary[0].len();
    for r in 0..rows {
        let mut cells = boundary.iter().map(|column| column[r]);
        let mut row = BoundaryCols::read(&mut || cells.next().expect("a cell per column"));
        let addr = row.addr[0].0 + (row.addr[1].0 << 16);
        if row.enabled == M31::from(1) && (addr == DATA || addr == SCRATCH_REGISTER) {
            row.final_value = word_limbs(FORGED);
            let mut fresh: Vec<Vec<M31>> = vec![Vec::new(); boundary.len()];
            row.write(&mut fresh.iter_mut());
            for (column, cell) in boundary.iter_mut().zip(fresh) {
                column[r] = cell[0];
            }
        }
    }

    let failures = super::debug::failing_constraints(&tables, &witness);
    assert!(failures.is_empty(), "the forgery satisfies every constraint: {failures:?}");
    let (_, _, key) = super::program_key(&program);
    let proof = prove_witness::<Blake2sMerkleChannel>(
        &program,
        &tables,
        witness,
        &CONFIG,
        crate::class::SizeClass::C16,
    )
    .expect("the constraints hold, so Stwo proves");
    assert!(matches!(
        verify(&proof, &key, &[], &CONFIG),
        Err(crate::verifier::VerifyError::LogupSumMismatch)
    ));
}

/// The position of `kind` in the trace.
fn component_index(kind: ComponentKind) -> usize {
    ComponentKind::all().iter().position(|&k| k == kind).expect("every kind is listed")
}

/// The range tables whose values are main-trace columns.
fn main_range_tables() -> Vec<u32> {
    crate::air::RANGE_BITS.into_iter().filter(|&bits| !range_is_preprocessed(bits)).collect()
}

/// Rewrites the `bits`-bit range table of an honest witness to hold `values` (natural row order),
/// moving each value's use count to the first row holding it, so that the lookups still balance and
/// only the table's own constraint can object. Every used value must be among `values`.
fn rewrite_range_table(witness: &mut Witness, bits: u32, values: &[u32]) {
    let table = &mut witness.columns[component_index(ComponentKind::Range(bits))];
    let mut counts: Vec<u32> = table[0].iter().map(|m| m.0).collect();
    assert_eq!(values.len(), counts.len());
    let moved: Vec<M31> =
        values.iter().map(|&v| M31::from(counts.get_mut(v as usize).map_or(0, std::mem::take))).collect();
    assert!(counts.iter().all(|&c| c == 0), "a used value is missing from the rewritten table");
    table[0] = moved;
    table[1] = values.iter().map(|&v| M31::from(v)).collect();
}

/// A program whose range checks go through every range table.
fn range_program() -> Program {
    memory_and_jump_program()
}

/// The first value `v` in `1..2^bits - 1` that no lookup uses in the honest witness.
fn unused_range_value(witness: &Witness, bits: u32) -> u32 {
    let counts = &witness.columns[component_index(ComponentKind::Range(bits))][0];
    (1..(1 << bits) - 1).find(|&v| counts[v as usize] == M31::from(0)).expect("an unused value")
}

/// Rewrites the `bits`-bit range table of the range program's honest witness to `values(honest)`
/// (see [`rewrite_range_table`]): the constraints the result violates, and whether its proof verifies.
fn range_table_rewritten(
    bits: u32,
    values: impl FnOnce(&Witness) -> Vec<u32>,
) -> (Vec<(ComponentKind, usize, usize)>, bool) {
    let program = range_program();
    let (execution, _) = trace(&program, &[], &ExecConfig::default()).expect("the program runs");
    let (tables, mut witness) = honest_witness(&program, &[]);
    let (_, _, key) = super::program_key(&program);
    let values = values(&witness);
    rewrite_range_table(&mut witness, bits, &values);
    let failures = super::debug::failing_constraints(&tables, &witness);
    (failures, accepted(&program, &key, &tables, witness, &execution.public_values))
}

/// The constraint works on the order the witness writes: the honest table (`0, 1, …`, reset at the
/// cyclic wrap) is accepted, and so are a rotation (the reset inside, an increment across the wrap)
/// and a table of several shorter counts, which hold only if Stwo's next row of natural row `i` is
/// `i + 1 mod n`.
#[test]
fn range_tables_accept_every_count_in_witness_order() {
    for bits in main_range_tables() {
        let n = 1u32 << bits;
        let rotated = |_: &Witness| (0..n).map(|i| (i + n / 2 + 3) % n).collect();
        assert_eq!(range_table_rewritten(bits, rotated), (vec![], true), "the {bits}-bit table rotated");
    }
    // Counts of 4, 12 and the rest of the 11-bit table, each back to 0.
    let values: Vec<u32> = (0..4).chain(0..12).chain(0..(1 << 11) - 16).collect();
    let (tables, mut witness) = honest_witness(&range_program(), &[]);
    // The lookups cannot balance with values missing, so only the constraints are checked here.
    witness.columns[component_index(ComponentKind::Range(11))][1] =
        values.iter().map(|&v| M31::from(v)).collect();
    assert!(super::debug::failing_constraints(&tables, &witness).is_empty());
}

/// A range table that skips a value (and so ends above its width): only the step over the skipped
/// value breaks `(v_next - v - 1) · v_next = 0`, and the proof fails.
#[test]
fn a_range_table_that_skips_a_value_is_rejected() {
    for bits in [13, 16] {
        let mut skipped = 0;
        let (failures, accepted) = range_table_rewritten(bits, |honest| {
            skipped = unused_range_value(honest, bits);
            (0..1 << bits).map(|i| if i < skipped { i } else { i + 1 }).collect()
        });
        assert_eq!(failures, [(ComponentKind::Range(bits), skipped as usize - 1, 0)]);
        assert!(!accepted, "{bits} bits");
    }
}

/// A range table counting `u + 1, …, 2^bits, 0, …, u - 1` (`u` unused) holds the value `2^bits`
/// and satisfies the constraint on every row but the last, whose cyclic successor is the first row:
/// the wrap is constrained, and the proof fails.
#[test]
fn a_range_table_that_exceeds_its_width_is_rejected() {
    for bits in [11, 16] {
        let n = 1u32 << bits;
        let (failures, accepted) = range_table_rewritten(bits, |honest| {
            let unused = unused_range_value(honest, bits);
            (unused + 1..=n).chain(0..unused).collect()
        });
        assert_eq!(failures, [(ComponentKind::Range(bits), n as usize - 1, 0)]);
        assert!(!accepted, "{bits} bits");
    }
}

/// The mutation the harness must tolerate: the last value of a range table reset to 0 on a row no
/// lookup uses leaves a valid table (every value below `2^bits`), so the proof verifies — soundly.
#[test]
fn a_range_table_reset_on_an_unused_row_is_a_valid_table() {
    let program = range_program();
    let (execution, _) = trace(&program, &[], &ExecConfig::default()).expect("the program runs");
    let (tables, honest) = honest_witness(&program, &[]);
    let (_, _, key) = super::program_key(&program);
    let kind = ComponentKind::Range(16);
    let mut witness = honest.clone();
    let table = &mut witness.columns[component_index(kind)];
    assert_eq!(table[0][0xffff], M31::from(0), "the last value is unused");
    table[1][0xffff] = M31::from(0);
    assert!(still_a_valid_table(kind, 1, table));
    assert!(accepted(&program, &key, &tables, witness, &execution.public_values));
}

#[test]
fn corrupting_any_cell_of_the_range_tables_is_rejected() {
    let kinds: Vec<ComponentKind> = main_range_tables().into_iter().map(ComponentKind::Range).collect();
    assert_every_column_mutation_rejected(&range_program(), &[], &kinds, 2, 31);
}

/// A program using each operation of the byte-operation table.
fn bitwise_program() -> Program {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = li(5, 0xf0f0_a5a5).to_vec();
    code.extend(li(6, 0x8001_7fff));
    for op in [AluOp::And, AluOp::Or, AluOp::Xor] {
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }.encode());
    }
    halting_program(code)
}

/// The first row of the byte-operation table that no lookup uses, whose bytes `a`, `b` satisfy `pick`.
fn unused_bitwise_row(witness: &Witness, pick: impl Fn(u32, u32) -> bool) -> usize {
    let table = &witness.columns[component_index(ComponentKind::BitwiseTable)];
    (0..1 << 16)
        .find(|&row| {
            table[..BITWISE_OPS.len()].iter().all(|m| m[row] == M31::from(0))
                && pick(row as u32 & 0xff, row as u32 >> 8)
        })
        .expect("an unused row")
}

/// Applies `change` to row `row` of the byte-operation table.
fn change_bitwise_row(witness: &mut Witness, row: usize, change: impl FnOnce(&mut BitwiseTableCols<M31>)) {
    let table = &mut witness.columns[component_index(ComponentKind::BitwiseTable)];
    let mut cells = table.iter().map(|c| c[row]);
    let mut cols = BitwiseTableCols::read(&mut || cells.next().expect("a cell per column"));
    change(&mut cols);
    let mut fresh: Vec<Vec<M31>> = vec![Vec::new(); table.len()];
    cols.write(&mut fresh.iter_mut());
    for (column, cell) in table.iter_mut().zip(fresh) {
        column[row] = cell[0];
    }
}

/// A bit of 2 where `a`'s top bit is 0 makes `a` a 9-bit value while `and` stays right (`b`'s top bit
/// is 0): only that bit's booleanity constraint (index 7) fails, and the proof fails.
#[test]
fn a_non_boolean_bit_in_the_bitwise_table_is_rejected() {
    let program = bitwise_program();
    let (tables, mut witness) = honest_witness(&program, &[]);
    let (_, _, key) = super::program_key(&program);
    let row = unused_bitwise_row(&witness, |a, b| a < 0x80 && b < 0x80);
    change_bitwise_row(&mut witness, row, |cols| cols.a_bits[7] = M31::from(2));
    assert_eq!(super::debug::failing_constraints(&tables, &witness), [(ComponentKind::BitwiseTable, row, 7)]);
    assert!(!accepted(&program, &key, &tables, witness, &[]));
}

/// `and` one more than `a & b`: only the constraint `and = Σ 2^i a_i b_i` (index 16) fails, and the
/// proof fails.
#[test]
fn a_wrong_and_in_the_bitwise_table_is_rejected() {
    let program = bitwise_program();
    let (tables, mut witness) = honest_witness(&program, &[]);
    let (_, _, key) = super::program_key(&program);
    let row = unused_bitwise_row(&witness, |_, _| true);
    change_bitwise_row(&mut witness, row, |cols| cols.and += M31::from(1));
    assert_eq!(
        super::debug::failing_constraints(&tables, &witness),
        [(ComponentKind::BitwiseTable, row, 16)]
    );
    assert!(!accepted(&program, &key, &tables, witness, &[]));
}
