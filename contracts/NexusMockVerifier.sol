// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusRoutedVerifier, INexusVerifier} from "./INexusVerifier.sol";

/// @title Nexus Zero mock verifier, for applications' tests
/// @notice Accepts `proof = 0x00000000 ‖ sha256(programVKey ‖ publicValues)` (`mockProof`, or
///         `nzero_wrapper::mock_proof` in Rust) and nothing else. No SNARK, no security: never route to it
///         on a chain with value. Unlike an accept-all mock it still binds the program key and the
///         public values, so an application's tests fail when it passes the wrong ones.
contract NexusMockVerifier is INexusRoutedVerifier {
    /// @notice The selector of mock proofs: all zeros, which marks them at a glance.
    bytes4 public constant SELECTOR = 0x00000000;
    /// @notice Bytes of a mock proof: the selector and a SHA-256 digest.
    uint256 public constant PROOF_LENGTH = 36;

    /// @inheritdoc INexusVerifier
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proof) external pure {
        if (proof.length != PROOF_LENGTH) revert ProofLengthInvalid(PROOF_LENGTH, proof.length);
        bytes4 selector = bytes4(proof[:4]);
        if (selector != SELECTOR) revert SelectorMismatch(SELECTOR, selector);
        if (bytes32(proof[4:]) != sha256(abi.encodePacked(programVKey, publicValues))) revert ProofInvalid();
    }

    /// @notice The proof this mock accepts for `programVKey` and `publicValues`.
    function mockProof(bytes32 programVKey, bytes calldata publicValues) external pure returns (bytes memory) {
        return abi.encodePacked(SELECTOR, sha256(abi.encodePacked(programVKey, publicValues)));
    }
}
