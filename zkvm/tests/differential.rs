//! Differential tests: the executor against Unicorn (QEMU's RISC-V CPU), an independent RV32IM
//! implementation driven by `script/unicorn_oracle.py`.
//!
//! - Seeded random instruction streams covering every RV32IM instruction, compared register by
//!   register, with the pc, the data memory and the instruction count.
//! - The example guests on several inputs, compared by exit code, public values, digest, debug
//!   output and instruction count, with the zkVM's syscalls implemented a second time in Python.
//!
//! Environment: `NZERO_DIFF_SEED` (default fixed) and `NZERO_DIFF_PROGRAMS` pick the random programs.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use nzero_zkvm::abi::{layout, syscall};
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, BranchOp, Instruction, LoadOp, StoreOp};
use nzero_zkvm::{ExecConfig, Input, Program, Vm, execute};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};
use serde::Deserialize;
use serde_json::json;

/// Runs the oracle on one request and returns its `results`.
fn oracle<T: for<'de> Deserialize<'de>>(request: &serde_json::Value) -> Vec<T> {
    let root = common::repo_root();
    let python = root.join(".venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run script/bootstrap.sh to install the Unicorn oracle",
        python.display()
    );
    let mut child = Command::new(&python)
        .arg(root.join("script/unicorn_oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let body = serde_json::to_vec(request).expect("serialisable request");
    // A thread writes the request so that a large reply cannot deadlock the pipes.
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output().expect("oracle output");
    let written = writer.join().expect("writer thread");
    // The oracle's own error first: a crash also breaks the pipe the request goes through.
    assert!(
        output.status.success(),
        "the Unicorn oracle failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("writing the oracle's request");
    #[derive(Deserialize)]
    struct Reply<T> {
        results: Vec<T>,
    }
    let reply: Reply<T> = serde_json::from_slice(&output.stdout).expect("the oracle's reply is JSON");
    reply.results
}

// ---------------------------------------------------------------------------------------------
// Random instruction streams
// ---------------------------------------------------------------------------------------------

const CODE_START: u32 = layout::PROGRAM_START;
/// The data buffer: 4 KiB well inside guest memory, away from the code.
const DATA_START: u32 = 0x0010_0000;
const DATA_LEN: u32 = 4096;
/// The base register of every load and store holds this: any 12-bit offset stays in the buffer.
const DATA_BASE: u32 = DATA_START + 2048;
const DEFAULT_SEED: u64 = 0x6e7a_6572_6f5f_6466;
const DEFAULT_PROGRAMS: usize = 5000;

/// Register values worth hitting often: the corners of signed and unsigned arithmetic.
const EDGE_VALUES: [u32; 9] = [0, 1, u32::MAX, 0x8000_0000, 0x7fff_ffff, 2, 0xffff_fffe, 0x8000_0001, 31];

const ALU_OPS: [AluOp; 18] = [
    AluOp::Add,
    AluOp::Sub,
    AluOp::Sll,
    AluOp::Slt,
    AluOp::Sltu,
    AluOp::Xor,
    AluOp::Srl,
    AluOp::Sra,
    AluOp::Or,
    AluOp::And,
    AluOp::Mul,
    AluOp::Mulh,
    AluOp::Mulhsu,
    AluOp::Mulhu,
    AluOp::Div,
    AluOp::Divu,
    AluOp::Rem,
    AluOp::Remu,
];
const M_OPS: [AluOp; 8] =
    [AluOp::Mul, AluOp::Mulh, AluOp::Mulhsu, AluOp::Mulhu, AluOp::Div, AluOp::Divu, AluOp::Rem, AluOp::Remu];
const ALU_IMM_OPS: [AluOp; 9] = [
    AluOp::Add,
    AluOp::Slt,
    AluOp::Sltu,
    AluOp::Xor,
    AluOp::Or,
    AluOp::And,
    AluOp::Sll,
    AluOp::Srl,
    AluOp::Sra,
];
const LOAD_OPS: [LoadOp; 5] = [LoadOp::Lb, LoadOp::Lh, LoadOp::Lw, LoadOp::Lbu, LoadOp::Lhu];
const STORE_OPS: [StoreOp; 3] = [StoreOp::Sb, StoreOp::Sh, StoreOp::Sw];
const BRANCH_OPS: [BranchOp; 6] =
    [BranchOp::Beq, BranchOp::Bne, BranchOp::Blt, BranchOp::Bge, BranchOp::Bltu, BranchOp::Bgeu];

/// One instruction of a block, its control-flow target still symbolic (a later chunk's index; the
/// chunk count itself means the end of the block).
#[derive(Clone, Copy)]
enum Slot {
    Fixed(u32),
    Branch {
        op: BranchOp,
        rs1: u8,
        rs2: u8,
        target: usize,
    },
    Jal {
        rd: u8,
        target: usize,
    },
    /// `jalr rd, rs1, target - chunk start (+1)`: the chunk's `auipc rs1, 0` precedes it.
    Jalr {
        rd: u8,
        rs1: u8,
        target: usize,
        odd: bool,
    },
}

/// A random program: a prelude loading every register, then forward-only random code.
struct Snippet {
    code: Vec<u32>,
    data: Vec<u32>,
}

impl Snippet {
    fn end(&self) -> u32 {
        CODE_START + 4 * self.code.len() as u32
    }

    fn program(&self) -> Program {
        let mut program = Program::from_code(CODE_START, self.code.clone());
        program.image.extend((DATA_START..).step_by(4).zip(self.data.iter().copied()));
        program
    }

    fn disassembly(&self) -> String {
        let mut out = String::new();
        for (i, &word) in self.code.iter().enumerate() {
            let insn = Instruction::decode(word).map_or_else(|e| e.to_string(), |i| format!("{i:?}"));
            let _ = writeln!(out, "  {:#010x}: {word:08x}  {insn}", CODE_START + 4 * i as u32);
        }
        out
    }
}

struct Generator {
    rng: StdRng,
    /// Holds [`DATA_BASE`] throughout: no instruction of the block writes it.
    base: u8,
}

impl Generator {
    fn value(&mut self) -> u32 {
        match self.rng.random_range(0..10) {
            0..4 => *EDGE_VALUES.choose(&mut self.rng).expect("non-empty"),
            4..6 => self.rng.random_range(0..64),
            6 => self.rng.random_range(0..64u32).wrapping_neg(),
            _ => self.rng.next_u32(),
        }
    }

    /// A sign-extended 12-bit immediate, often a corner.
    fn imm12(&mut self) -> u32 {
        let raw: u32 = match self.rng.random_range(0..4) {
            0 => *[0, 1, 0xfff, 0x7ff, 0x800].choose(&mut self.rng).expect("non-empty"),
            _ => self.rng.random_range(0..0x1000),
        };
        ((raw << 20) as i32 >> 20) as u32
    }

    /// A register the block may write, other than `x0`.
    fn scratch(&mut self) -> u8 {
        loop {
            let r = self.rd();
            if r != 0 {
                return r;
            }
        }
    }

    fn reg(&mut self) -> u8 {
        self.rng.random_range(0..32)
    }

    /// A destination: any register (`x0` included) but the data base.
    fn rd(&mut self) -> u8 {
        loop {
            let r = self.reg();
            if r != self.base {
                return r;
            }
        }
    }

    /// A memory offset from the base, aligned to `width`: `[-2048, 2047]` stays inside the buffer.
    fn offset(&mut self, width: u32) -> u32 {
        let offset = self.rng.random_range(-2048..2048i32);
        (offset - offset.rem_euclid(width as i32)) as u32
    }

    fn target(&mut self, chunk: usize, chunks: usize) -> usize {
        self.rng.random_range(chunk + 1..=(chunk + 8).min(chunks))
    }

    fn chunk(&mut self, index: usize, chunks: usize) -> Vec<Slot> {
        let fixed = |insn: Instruction| Slot::Fixed(insn.encode());
        match self.rng.random_range(0..100) {
            0..20 => {
                let op = *ALU_OPS.choose(&mut self.rng).expect("non-empty");
                vec![fixed(Instruction::Alu { op, rd: self.rd(), rs1: self.reg(), rs2: self.reg() })]
            }
            // An M operation right after loading a corner value into one of its operands.
            20..30 => {
                let op = *M_OPS.choose(&mut self.rng).expect("non-empty");
                let (rd, edge) = (self.rd(), self.scratch());
                let value = *EDGE_VALUES.choose(&mut self.rng).expect("non-empty");
                let (rs1, rs2) =
                    if self.rng.random_bool(0.5) { (edge, self.reg()) } else { (self.reg(), edge) };
                let mut slots: Vec<Slot> = li(edge, value).into_iter().map(Slot::Fixed).collect();
                slots.push(fixed(Instruction::Alu { op, rd, rs1, rs2 }));
                slots
            }
            30..46 => {
                let op = *ALU_IMM_OPS.choose(&mut self.rng).expect("non-empty");
                let imm = match op {
                    AluOp::Sll | AluOp::Srl | AluOp::Sra => self.rng.random_range(0..32),
                    _ => self.imm12(),
                };
                vec![fixed(Instruction::AluImm { op, rd: self.rd(), rs1: self.reg(), imm })]
            }
            46..52 => {
                let (rd, imm) = (self.rd(), self.value() & 0xffff_f000);
                let insn = if self.rng.random_bool(0.5) {
                    Instruction::Lui { rd, imm }
                } else {
                    Instruction::Auipc { rd, imm }
                };
                vec![fixed(insn)]
            }
            52..64 => {
                let op = *LOAD_OPS.choose(&mut self.rng).expect("non-empty");
                let imm = self.offset(op.width());
                vec![fixed(Instruction::Load { op, rd: self.rd(), rs1: self.base, imm })]
            }
            64..74 => {
                let op = *STORE_OPS.choose(&mut self.rng).expect("non-empty");
                let imm = self.offset(op.width());
                vec![fixed(Instruction::Store { op, rs1: self.base, rs2: self.reg(), imm })]
            }
            74..88 => {
                let op = *BRANCH_OPS.choose(&mut self.rng).expect("non-empty");
                let rs1 = self.reg();
                // Equal operands make `beq`/`bge`/`bgeu` taken: worth having often.
                let rs2 = if self.rng.random_bool(0.2) { rs1 } else { self.reg() };
                vec![Slot::Branch { op, rs1, rs2, target: self.target(index, chunks) }]
            }
            88..93 => vec![Slot::Jal { rd: self.rd(), target: self.target(index, chunks) }],
            93..98 => {
                let (link, rd) = (self.scratch(), self.rd());
                let (target, odd) = (self.target(index, chunks), self.rng.random_bool(0.3));
                vec![
                    fixed(Instruction::Auipc { rd: link, imm: 0 }),
                    Slot::Jalr { rd, rs1: link, target, odd },
                ]
            }
            // FENCE with random predecessor/successor sets and reserved fields.
            _ => vec![Slot::Fixed((self.rng.next_u32() & 0xffff_8f80) | 0b000_1111)],
        }
    }

    fn snippet(&mut self) -> Snippet {
        self.base = self.rng.random_range(1..32);
        let mut code = Vec::new();
        for r in 1..32 {
            let value = if r == self.base { DATA_BASE } else { self.value() };
            code.extend(li(r, value));
        }
        let prelude_end = CODE_START + 4 * code.len() as u32;

        let chunks = self.rng.random_range(16..=48);
        let body: Vec<Vec<Slot>> = (0..chunks).map(|i| self.chunk(i, chunks)).collect();
        let mut starts = Vec::with_capacity(chunks + 1);
        let mut addr = prelude_end;
        for chunk in &body {
            starts.push(addr);
            addr += 4 * chunk.len() as u32;
        }
        starts.push(addr);
        for (chunk, &start) in body.iter().zip(&starts) {
            for (k, slot) in chunk.iter().enumerate() {
                let pc = start + 4 * k as u32;
                code.push(match *slot {
                    Slot::Fixed(word) => word,
                    Slot::Branch { op, rs1, rs2, target } => {
                        Instruction::Branch { op, rs1, rs2, imm: starts[target].wrapping_sub(pc) }.encode()
                    }
                    Slot::Jal { rd, target } => {
                        Instruction::Jal { rd, imm: starts[target].wrapping_sub(pc) }.encode()
                    }
                    Slot::Jalr { rd, rs1, target, odd } => {
                        let imm = starts[target] - start + u32::from(odd);
                        assert!(imm < 2048, "jalr offset {imm} does not fit 12 bits");
                        Instruction::Jalr { rd, rs1, imm }.encode()
                    }
                });
            }
        }
        let data = (0..DATA_LEN / 4)
            .map(|_| if self.rng.random_bool(0.2) { 0 } else { self.rng.next_u32() })
            .collect();
        Snippet { code, data }
    }
}

/// The machine state after a random program, from either implementation.
#[derive(Debug, PartialEq, Eq, Deserialize)]
struct SnippetOutcome {
    regs: Vec<u32>,
    pc: u32,
    #[serde(deserialize_with = "words_from_hex")]
    data: Vec<u32>,
    steps: u64,
    error: Option<String>,
}

/// Little-endian words from the oracle's hex: large buffers travel as strings, which both sides
/// encode and parse far faster than lists of numbers.
fn words_from_hex<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
    let hex = String::deserialize(deserializer)?;
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("?"), 16))
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)?;
    Ok(bytes.chunks(4).map(|w| u32::from_le_bytes(w.try_into().unwrap_or_default())).collect())
}

fn words_to_hex(words: &[u32]) -> String {
    hex(&words.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>())
}

fn run_snippet(snippet: &Snippet, max_steps: u64) -> SnippetOutcome {
    let program = snippet.program();
    let mut vm = Vm::new(&program, &[]);
    let mut error = None;
    while vm.pc() != snippet.end() {
        if vm.cycles() >= max_steps {
            error = Some(format!("instruction limit of {max_steps} reached at pc {:#010x}", vm.pc()));
            break;
        }
        match vm.step(&mut ()) {
            Ok(None) => {}
            Ok(Some(exit)) => {
                error = Some(format!("halted with exit code {}", exit.exit_code));
                break;
            }
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    SnippetOutcome {
        regs: vm.registers().to_vec(),
        pc: vm.pc(),
        data: (DATA_START..DATA_START + DATA_LEN).step_by(4).map(|a| vm.memory().word(a)).collect(),
        steps: vm.cycles(),
        error,
    }
}

fn describe_mismatch(zkvm: &SnippetOutcome, unicorn: &SnippetOutcome) -> String {
    let mut out = String::new();
    for (i, (a, b)) in zkvm.regs.iter().zip(&unicorn.regs).enumerate() {
        if a != b {
            let _ = writeln!(out, "  x{i}: zkvm {a:#010x}, unicorn {b:#010x}");
        }
    }
    if zkvm.pc != unicorn.pc {
        let _ = writeln!(out, "  pc: zkvm {:#010x}, unicorn {:#010x}", zkvm.pc, unicorn.pc);
    }
    for (i, (a, b)) in zkvm.data.iter().zip(&unicorn.data).enumerate() {
        if a != b {
            let _ = writeln!(
                out,
                "  mem[{:#010x}]: zkvm {a:#010x}, unicorn {b:#010x}",
                DATA_START + 4 * i as u32
            );
        }
    }
    if zkvm.steps != unicorn.steps {
        let _ = writeln!(out, "  instructions: zkvm {}, unicorn {}", zkvm.steps, unicorn.steps);
    }
    if zkvm.error != unicorn.error {
        let _ = writeln!(out, "  error: zkvm {:?}, unicorn {:?}", zkvm.error, unicorn.error);
    }
    out
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value} does not parse")),
        Err(_) => default,
    }
}

/// Every kind of instruction in `code`, with the shift amount for immediate shifts: what the random
/// programs must cover.
fn coverage(code: &[u32], seen: &mut BTreeSet<String>) {
    for insn in code.iter().filter_map(|&w| Instruction::decode(w).ok()) {
        seen.insert(match insn {
            Instruction::Alu { op, .. } => format!("{op:?}"),
            Instruction::AluImm { op: op @ (AluOp::Sll | AluOp::Srl | AluOp::Sra), imm, .. } => {
                format!("{op:?}i {imm}")
            }
            Instruction::AluImm { op, .. } => format!("{op:?}i"),
            Instruction::Load { op, .. } => format!("{op:?}"),
            Instruction::Store { op, .. } => format!("{op:?}"),
            Instruction::Branch { op, .. } => format!("{op:?}"),
            Instruction::Jal { .. } => "Jal".into(),
            Instruction::Jalr { .. } => "Jalr".into(),
            Instruction::Lui { .. } => "Lui".into(),
            Instruction::Auipc { .. } => "Auipc".into(),
            Instruction::Fence => "Fence".into(),
            Instruction::Ecall | Instruction::Ebreak => unreachable!("random programs make no calls"),
        });
    }
}

fn expected_coverage() -> BTreeSet<String> {
    let mut all: BTreeSet<String> = ALU_OPS.iter().map(|op| format!("{op:?}")).collect();
    for op in [AluOp::Add, AluOp::Slt, AluOp::Sltu, AluOp::Xor, AluOp::Or, AluOp::And] {
        all.insert(format!("{op:?}i"));
    }
    for op in [AluOp::Sll, AluOp::Srl, AluOp::Sra] {
        all.extend((0..32).map(|shamt| format!("{op:?}i {shamt}")));
    }
    all.extend(LOAD_OPS.iter().map(|op| format!("{op:?}")));
    all.extend(STORE_OPS.iter().map(|op| format!("{op:?}")));
    all.extend(BRANCH_OPS.iter().map(|op| format!("{op:?}")));
    all.extend(["Jal", "Jalr", "Lui", "Auipc", "Fence"].map(String::from));
    all
}

#[test]
fn random_programs_match_unicorn() {
    let seed = env_or("NZERO_DIFF_SEED", DEFAULT_SEED);
    let count = env_or("NZERO_DIFF_PROGRAMS", DEFAULT_PROGRAMS);
    let mut generator = Generator { rng: StdRng::seed_from_u64(seed), base: 0 };
    let snippets: Vec<Snippet> = (0..count).map(|_| generator.snippet()).collect();

    let mut seen = BTreeSet::new();
    for snippet in &snippets {
        coverage(&snippet.code, &mut seen);
    }
    let missing: Vec<_> = expected_coverage().difference(&seen).cloned().collect();
    assert!(missing.is_empty(), "seed {seed:#x}: {count} programs never use {missing:?}");

    // Control flow only moves forward, so no run is longer than its code.
    let max_steps = snippets.iter().map(|s| s.code.len() as u64).max().unwrap_or(0);
    let request = json!({
        "kind": "snippets",
        "code_start": CODE_START,
        "data_start": DATA_START,
        "data_len": DATA_LEN,
        "max_steps": max_steps,
        "programs": snippets.iter().map(|s| json!({"code": s.code, "data": words_to_hex(&s.data)})).collect::<Vec<_>>(),
    });
    let expected: Vec<SnippetOutcome> = oracle(&request);
    assert_eq!(expected.len(), snippets.len(), "the oracle answered every program");

    let mut report = String::new();
    let mut mismatches = 0;
    for (index, (snippet, unicorn)) in snippets.iter().zip(&expected).enumerate() {
        assert_eq!(
            unicorn.error,
            None,
            "Unicorn failed on program {index} (seed {seed:#x}):\n{}",
            snippet.disassembly()
        );
        let zkvm = run_snippet(snippet, max_steps);
        if zkvm != *unicorn {
            mismatches += 1;
            if mismatches <= 3 {
                let _ = write!(
                    report,
                    "program {index} (NZERO_DIFF_SEED={seed} NZERO_DIFF_PROGRAMS={}):\n{}code:\n{}\n",
                    index + 1,
                    describe_mismatch(&zkvm, unicorn),
                    snippet.disassembly()
                );
            }
        }
    }
    assert!(mismatches == 0, "{mismatches} of {count} programs differ from Unicorn; the first:\n{report}");
}

// ---------------------------------------------------------------------------------------------
// Example guests
// ---------------------------------------------------------------------------------------------

/// A guest run as the oracle reports it, byte strings in hex.
#[derive(Debug, Deserialize)]
struct GuestOutcome {
    exit_code: Option<u32>,
    public_values: String,
    digest: Option<String>,
    stdout: String,
    stderr: String,
    steps: u64,
    error: Option<String>,
}

/// Runs the example `name` on each input in the zkVM and in Unicorn, and checks that they agree.
/// Returns the exit codes, for the caller to check which paths the inputs took.
fn compare_guest(name: &str, inputs: &[Vec<u8>]) -> Vec<u32> {
    const MAX_STEPS: u64 = 50_000_000;
    let (elf, program) = common::example(name);
    let request = json!({
        "kind": "guests",
        "memory_start": layout::MEMORY_START,
        "memory_end": layout::MEMORY_END,
        "syscalls": {
            "HALT": syscall::HALT,
            "INPUT_LEN": syscall::INPUT_LEN,
            "READ_INPUT_WORD": syscall::READ_INPUT_WORD,
            "COMMIT": syscall::COMMIT,
            "WRITE": syscall::WRITE,
        },
        "max_steps": MAX_STEPS,
        "runs": inputs.iter().map(|input| json!({"elf": elf, "input": hex(input)})).collect::<Vec<_>>(),
    });
    let expected: Vec<GuestOutcome> = oracle(&request);
    assert_eq!(expected.len(), inputs.len(), "the oracle answered every run");
    let config = ExecConfig { max_cycles: MAX_STEPS };
    inputs
        .iter()
        .zip(expected)
        .map(|(input, unicorn)| {
            let context = format!("{name} on input {}", hex(input));
            assert_eq!(unicorn.error, None, "Unicorn failed: {context}");
            let zkvm =
                execute(&program, input, &config).unwrap_or_else(|e| panic!("zkVM failed: {context}: {e}"));
            assert_eq!(Some(zkvm.exit_code), unicorn.exit_code, "exit code: {context}");
            assert_eq!(hex(&zkvm.public_values), unicorn.public_values, "public values: {context}");
            assert_eq!(Some(hex(&zkvm.public_values_digest)), unicorn.digest, "digest: {context}");
            assert_eq!(hex(&zkvm.stdout), unicorn.stdout, "stdout: {context}");
            assert_eq!(hex(&zkvm.stderr), unicorn.stderr, "stderr: {context}");
            assert_eq!(zkvm.cycles, unicorn.steps, "instruction count: {context}");
            zkvm.exit_code
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn postcard_input(n: u32) -> Vec<u8> {
    let mut input = Input::new();
    input.write(&n).expect("a u32 encodes");
    input.as_bytes().to_vec()
}

#[test]
fn fibonacci_matches_unicorn() {
    let inputs =
        vec![postcard_input(0), postcard_input(1), postcard_input(10), postcard_input(1000), Vec::new()];
    // No input at all: `read` panics, exercising the panic path and its debug output.
    assert_eq!(compare_guest("fibonacci", &inputs), [0, 0, 0, 0, nzero_zkvm::abi::exit_code::PANIC]);
}

#[test]
fn sha256_matches_unicorn() {
    let mut rng = StdRng::seed_from_u64(DEFAULT_SEED);
    let mut long = vec![0u8; 1001];
    rng.fill_bytes(&mut long);
    let inputs = vec![Vec::new(), b"abc".to_vec(), vec![0xff; 64], long];
    assert_eq!(compare_guest("sha256", &inputs), [0; 4]);
}

#[test]
fn json_matches_unicorn() {
    let ledger = br#"{"threshold": 100, "transfers": [
        {"from": "alice", "to": "bob", "amount": 250},
        {"from": "bob", "to": "carol", "amount": 40},
        {"from": "carol", "to": "alice", "amount": 100}
    ]}"#;
    let inputs = vec![
        ledger.to_vec(),
        br#"{"threshold": 0, "transfers": []}"#.to_vec(),
        br#"{"threshold": 1, "transfers": [{"from": "a", "to": "b", "amount": 2}]}"#.to_vec(),
        // Malformed: the guest panics with serde_json's message on stderr.
        br#"{"threshold": -1, "transfers": "#.to_vec(),
    ];
    let codes = compare_guest("json", &inputs);
    assert_eq!(codes, [0, 0, 0, nzero_zkvm::abi::exit_code::PANIC]);
}
