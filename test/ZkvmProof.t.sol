// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {NexusVerifierTest} from "../contracts/generated/NexusVerifierTest.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice A real zkVM proof on chain: fibonacci(10) executed and proven by the zkVM in the test size
///         class (its INSECURE 14-bit configuration: the class exists for tests), wrapped by `nzero wrap`
///         into `test/fixtures/fibonacci.json`, accepted by the class's generated verifier directly and
///         through the gateway; the same proof for another program or other public values is rejected.
contract ZkvmProofTest is NexusTest {
    address internal constant OWNER = address(0xA11CE);

    NexusVerifierTest internal verifier;
    NexusGateway internal gateway;
    Fixture internal fixture;

    function setUp() public {
        verifier = new NexusVerifierTest();
        gateway = new NexusGateway(OWNER);
        vm.prank(OWNER);
        gateway.addRoute(address(verifier));
        fixture = loadFixture("fibonacci");
    }

    function expectInvalid() internal {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
    }

    function test_VerifyProof_RealZkvmProof() public view {
        assertEq(uint256(uint32(verifier.SELECTOR())), uint256(uint32(fixture.selector)), "selector");
        // fibonacci(10): the guest commits n and fib(n) as little-endian u32s.
        assertEq(keccak256(fixture.publicValues), keccak256(hex"0a00000037000000"), "public values");
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
    }

    function test_RevertWhen_RealProofForOtherStatement() public {
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, hex"0a00000038000000", fixture.proof);
        expectInvalid();
        verifier.verifyProof(bytes32(uint256(fixture.programVKey) ^ 1), fixture.publicValues, fixture.proof);
        expectInvalid();
        gateway.verifyProof(fixture.programVKey, hex"0b00000059000000", fixture.proof);
    }
}
