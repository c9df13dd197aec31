// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {NexusVerifier16} from "../contracts/generated/NexusVerifier16.sol";
import {NexusVerifierDemo} from "../contracts/generated/NexusVerifierDemo.sol";
import {NexusVerifierTest} from "../contracts/generated/NexusVerifierTest.sol";

/// @title The committed generated verifiers by contract name, for the deployment scripts
library CommittedVerifiers {
    /// @notice The chain id of a local anvil: the only chain that gets the demo and test verifiers.
    uint256 internal constant LOCAL_CHAIN_ID = 31337;

    /// @notice The creation code of the committed verifier `name`; the demo verifier (a key from a committed
    ///         seed: anyone can forge its proofs) and the test verifier (the INSECURE test configuration)
    ///         only on a local anvil.
    function creationCode(string memory name) internal view returns (bytes memory) {
        bytes32 id = keccak256(bytes(name));
        if (id == keccak256("NexusVerifier16")) return type(NexusVerifier16).creationCode;
        bool local = block.chainid == LOCAL_CHAIN_ID;
        if (id == keccak256("NexusVerifierTest")) {
            require(local, "NexusVerifierTest (INSECURE test configuration) is for a local anvil only");
            return type(NexusVerifierTest).creationCode;
        }
        if (id == keccak256("NexusVerifierDemo")) {
            require(local, "NexusVerifierDemo (a key from a committed seed) is for a local anvil only");
            return type(NexusVerifierDemo).creationCode;
        }
        revert(string.concat("no committed verifier named ", name));
    }

    /// @notice The committed fixture (test/fixtures) of a real proof the verifier `name` accepts.
    function fixture(string memory name) internal pure returns (string memory) {
        bytes32 id = keccak256(bytes(name));
        if (id == keccak256("NexusVerifier16")) return "fibonacci_16";
        if (id == keccak256("NexusVerifierTest")) return "fibonacci";
        if (id == keccak256("NexusVerifierDemo")) return "demo";
        revert(string.concat("no committed verifier named ", name));
    }
}
