//! The execution record: what the prover needs to know about each executed instruction.

/// One executed instruction, as the prover's trace generation consumes it.
///
/// Register values are those read before the instruction executes; `rd_value` is the value written
/// to the destination register (zero when there is none). For memory instructions, `mem_addr` is the
/// byte address accessed, and the aligned word containing it held `mem_before` before and holds
/// `mem_after` after the instruction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Address of the instruction.
    pub pc: u32,
    /// Address of the next instruction.
    pub next_pc: u32,
    /// Value of `rs1`.
    pub rs1_value: u32,
    /// Value of `rs2`.
    pub rs2_value: u32,
    /// Value written to `rd`.
    pub rd_value: u32,
    /// Byte address of the memory access.
    pub mem_addr: u32,
    /// The accessed word before the instruction.
    pub mem_before: u32,
    /// The accessed word after the instruction.
    pub mem_after: u32,
}

/// Observes every executed instruction. The executor is generic over it, so plain execution with
/// `()` compiles to a loop that records nothing.
pub trait Tracer {
    /// Called once per executed instruction, after it executed.
    fn step(&mut self, step: &Step);
}

impl Tracer for () {
    #[inline(always)]
    fn step(&mut self, _: &Step) {}
}

/// Every step of an execution, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionRecord {
    /// The steps.
    pub steps: Vec<Step>,
}

impl Tracer for ExecutionRecord {
    #[inline(always)]
    fn step(&mut self, step: &Step) {
        self.steps.push(*step);
    }
}
