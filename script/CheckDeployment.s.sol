// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {ComputeBridge} from "../contracts/bridge/ComputeBridge.sol";
import {Fixture, NexusTest} from "../test/utils/NexusTest.sol";
import {vm} from "../test/utils/Vm.sol";
import {CommittedVerifiers} from "./CommittedVerifiers.sol";

/// @title Checks a local deployment made by Deploy.s.sol against the chain
/// @notice forge script script/CheckDeployment.s.sol --rpc-url http://127.0.0.1:PORT   (no broadcast)
///         The addresses in deployments/<chainId>.json are the CREATE2 addresses of the current bytecode,
///         the gateway belongs to the recorded owner and routes every recorded verifier's selector to it,
///         the compute bridge verifies through it, and for each verifier a real proof from test/fixtures
///         verifies through the deployed gateway while the same proof for other public values is refused.
contract CheckDeployment is NexusTest {
    function run() external view {
        string memory json = vm.readFile(string.concat("deployments/", vm.toString(block.chainid), ".json"));
        bytes32 salt = vm.parseJsonBytes32(json, ".salt");
        address owner = vm.parseJsonAddress(json, ".owner");
        NexusGateway gateway = NexusGateway(vm.parseJsonAddress(json, ".gateway"));

        bytes memory gatewayInit = abi.encodePacked(type(NexusGateway).creationCode, abi.encode(owner));
        assertEq(address(gateway), vm.computeCreate2Address(salt, keccak256(gatewayInit)), "gateway address");
        assertEq(gateway.owner(), owner, "owner");
        ComputeBridge bridge = ComputeBridge(vm.parseJsonAddress(json, ".bridge"));
        bytes memory bridgeInit = abi.encodePacked(type(ComputeBridge).creationCode, abi.encode(address(gateway)));
        assertEq(address(bridge), vm.computeCreate2Address(salt, keccak256(bridgeInit)), "bridge address");
        assertEq(address(bridge.verifier()), address(gateway), "the bridge verifies through the gateway");

        string[] memory names = vm.parseJsonKeys(json, ".verifiers");
        for (uint256 i = 0; i < names.length; i++) {
            address verifier = vm.parseJsonAddress(json, string.concat(".verifiers.", names[i]));
            bytes memory code = CommittedVerifiers.creationCode(names[i]);
            assertEq(verifier, vm.computeCreate2Address(salt, keccak256(code)), names[i]);
            checkRoute(gateway, verifier, loadFixture(CommittedVerifiers.fixture(names[i])));
        }
    }

    /// @notice The fixture's selector routes to `verifier`, unfrozen; its proof verifies through the gateway,
    ///         and is refused for other public values.
    function checkRoute(NexusGateway gateway, address verifier, Fixture memory f) internal view {
        (address routed, bool frozen) = gateway.routes(f.selector);
        assertEq(routed, verifier, "route");
        assertTrue(!frozen, "route frozen");
        gateway.verifyProof(f.programVKey, f.publicValues, f.proof);
        try gateway.verifyProof(f.programVKey, bytes.concat(f.publicValues, hex"00"), f.proof) {
            revert("the deployed gateway accepted a proof for other public values");
        } catch (bytes memory reason) {
            assertTrue(bytes4(reason) == INexusVerifierErrors.ProofInvalid.selector, "rejected with ProofInvalid");
        }
    }
}
