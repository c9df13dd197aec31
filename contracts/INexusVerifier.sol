// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title Errors of Nexus Zero proof verification
/// @notice Every rejection is one of these (or a routing error of the gateway), never a panic.
interface INexusVerifierErrors {
    /// @notice The proof is not `expected` bytes long (selector included).
    error ProofLengthInvalid(uint256 expected, uint256 actual);
    /// @notice The proof's first four bytes are not this verifier's selector.
    error SelectorMismatch(bytes4 expected, bytes4 actual);
    /// @notice Proof word `word` (0 = A.x, 1 = A.y, 2..5 = B.x1, B.x0, B.y1, B.y0, 6 = C.x, 7 = C.y) is not
    ///         below the BN254 base field modulus.
    error ProofCoordinateOutOfRange(uint256 word);
    /// @notice Proof point `point` (0 = A, 1 = B, 2 = C) is not on its curve.
    error ProofPointNotOnCurve(uint256 point);
    /// @notice The proof is well formed but does not prove this program key and these public values.
    error ProofInvalid();
}

/// @title Nexus Zero proof verification
/// @notice Accepts a proof that the program with verifying key `programVKey` ran to exit code 0 and
///         committed `publicValues`. Implemented by the generated verifiers, the gateway and the mock.
interface INexusVerifier is INexusVerifierErrors {
    /// @notice Returns if the proof is valid for `programVKey` and `publicValues`, reverts otherwise.
    /// @param programVKey The program's verifying key (`nzero vkey`): it depends only on the program.
    /// @param publicValues The bytes the guest committed.
    /// @param proof `selector ‖ proof bytes`: the selector names the verifying key (see docs/EVM.md).
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proof) external view;
}

/// @title A verifier for the proofs of one selector
/// @notice What the gateway routes to: it reads the selector from the verifier itself, so a route can
///         never name a verifier for another key.
interface INexusRoutedVerifier is INexusVerifier {
    /// @notice The selector of the proofs this verifier accepts.
    function SELECTOR() external view returns (bytes4);
}
