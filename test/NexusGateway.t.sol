// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {INexusGatewayErrors, INexusGatewayEvents} from "../contracts/INexusGateway.sol";
import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {NexusMockVerifier} from "../contracts/NexusMockVerifier.sol";
import {NexusVerifierDemo} from "../contracts/generated/NexusVerifierDemo.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Routing by selector on real proofs, route administration, freezing, two-step ownership.
contract NexusGatewayTest is NexusTest, INexusGatewayEvents {
    address internal constant OWNER = address(0xA11CE);
    address internal constant STRANGER = address(0xBAD);
    address internal constant NEW_OWNER = address(0xB0B);

    NexusGateway internal gateway;
    NexusVerifierDemo internal verifier;
    Fixture internal fixture;

    function setUp() public {
        gateway = new NexusGateway(OWNER);
        verifier = new NexusVerifierDemo();
        vm.prank(OWNER);
        gateway.addRoute(address(verifier));
        fixture = loadFixture("demo");
    }

    /// @notice Routes are add-only: another verifier for the demo key cannot take its selector.
    function expectRouteNotReplaceable() internal {
        NexusVerifierDemo replacement = new NexusVerifierDemo();
        vm.prank(OWNER);
        vm.expectRevert(
            abi.encodeWithSelector(INexusGatewayErrors.RouteExists.selector, fixture.selector, address(verifier))
        );
        gateway.addRoute(address(replacement));
    }

    function test_VerifyProof_ThroughGateway() public view {
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
    }

    function test_Gas_VerifyProofThroughGateway() public {
        Fixture memory f = fixture;
        gateway.verifyProof(f.programVKey, f.publicValues, f.proof);
        vm.snapshotGasLastCall("verifyProof through gateway");
    }

    function test_RevertWhen_VerifierRejects() public {
        // The verifier's own error reaches the caller unchanged.
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        gateway.verifyProof(fixture.programVKey, flipped(fixture.publicValues, 0, 0x01), fixture.proof);
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofLengthInvalid.selector, 260, 259));
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, truncated(fixture.proof, 259));
    }

    function test_Routes() public view {
        (address routed, bool frozen) = gateway.routes(fixture.selector);
        assertEq(routed, address(verifier), "routed verifier");
        assertTrue(!frozen, "a new route is not frozen");
        (routed,) = gateway.routes(bytes4(0x12345678));
        assertEq(routed, address(0), "no route");
    }

    function test_RevertWhen_RouteNotFound() public {
        bytes4 unknown = fixture.selector ^ bytes4(0x00000001);
        vm.expectRevert(abi.encodeWithSelector(INexusGatewayErrors.RouteNotFound.selector, unknown));
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, flipped(fixture.proof, 3, 0x01));
    }

    function test_RevertWhen_ProofTooShort() public {
        for (uint256 length = 0; length < 4; length++) {
            vm.expectRevert(abi.encodeWithSelector(INexusGatewayErrors.ProofTooShort.selector, length));
            gateway.verifyProof(fixture.programVKey, fixture.publicValues, truncated(fixture.proof, length));
        }
    }

    function test_FreezeRoute() public {
        vm.expectEmit();
        emit RouteFrozen(fixture.selector, address(verifier));
        vm.prank(OWNER);
        gateway.freezeRoute(fixture.selector);
        (address routed, bool frozen) = gateway.routes(fixture.selector);
        assertEq(routed, address(verifier), "a frozen route keeps its verifier");
        assertTrue(frozen, "frozen");
    }

    function test_RevertWhen_RouteFrozen() public {
        vm.prank(OWNER);
        gateway.freezeRoute(fixture.selector);
        bytes memory frozenError = abi.encodeWithSelector(INexusGatewayErrors.RouteIsFrozen.selector, fixture.selector);
        vm.expectRevert(frozenError);
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
        // Irreversible: freezing again fails, and the selector cannot be routed anew, not even to a new copy.
        vm.prank(OWNER);
        vm.expectRevert(frozenError);
        gateway.freezeRoute(fixture.selector);
        expectRouteNotReplaceable();
    }

    function test_RevertWhen_FreezeUnknownRoute() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(INexusGatewayErrors.RouteNotFound.selector, bytes4(0xdeadbeef)));
        gateway.freezeRoute(0xdeadbeef);
    }

    function test_AddRoute() public {
        NexusMockVerifier mock = new NexusMockVerifier();
        vm.expectEmit();
        emit RouteAdded(bytes4(0), address(mock));
        vm.prank(OWNER);
        gateway.addRoute(address(mock));
        // Both routes work side by side.
        gateway.verifyProof(
            fixture.programVKey, fixture.publicValues, mock.mockProof(fixture.programVKey, fixture.publicValues)
        );
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
    }

    function test_RevertWhen_RouteExists() public {
        expectRouteNotReplaceable();
    }

    function test_RevertWhen_VerifierNotContract() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(INexusGatewayErrors.VerifierNotContract.selector, STRANGER));
        gateway.addRoute(STRANGER);
    }

    function test_RevertWhen_CallerNotOwner() public {
        NexusMockVerifier mock = new NexusMockVerifier();
        bytes memory unauthorized = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, STRANGER);
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        gateway.addRoute(address(mock));
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        gateway.freezeRoute(fixture.selector);
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        gateway.transferOwnership(STRANGER);
    }

    function test_TwoStepOwnership() public {
        vm.prank(OWNER);
        gateway.transferOwnership(NEW_OWNER);
        // Nothing changes until the new owner accepts.
        assertEq(gateway.owner(), OWNER, "owner before acceptance");
        assertEq(gateway.pendingOwner(), NEW_OWNER, "pending owner");
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, STRANGER));
        gateway.acceptOwnership();

        vm.prank(NEW_OWNER);
        gateway.acceptOwnership();
        assertEq(gateway.owner(), NEW_OWNER, "owner after acceptance");
        assertEq(gateway.pendingOwner(), address(0), "no pending owner");

        NexusMockVerifier mock = new NexusMockVerifier();
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, OWNER));
        gateway.addRoute(address(mock));
        vm.prank(NEW_OWNER);
        gateway.addRoute(address(mock));
    }
}
