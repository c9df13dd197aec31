// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusRoutedVerifier} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {ComputeBridge} from "../contracts/bridge/ComputeBridge.sol";
import {vm} from "../test/utils/Vm.sol";
import {CommittedVerifiers} from "./CommittedVerifiers.sol";

/// @title Deploys the gateway, the verifiers and the compute bridge at deterministic addresses, routes them
/// @notice forge script script/Deploy.s.sol --rpc-url $ETH_RPC_URL --broadcast   (PRIVATE_KEY in the env)
///         Contracts are created through the deterministic CREATE2 deployment proxy, so their addresses
///         depend only on the salt (NZERO_SALT, optional), the bytecode and, for the gateway, its owner (the
///         key's address). Re-running is safe: what exists is kept, missing routes are added. The result
///         goes to deployments/<chainId>.json.
///
///         The verifiers are the committed ones named in NZERO_VERIFIERS (comma-separated contract names).
///         On a local anvil the default is all of them; elsewhere none, so that a chain with value gets a
///         verifier only by name — NexusVerifier16 verifies the secure 2^16 class, but its keys come from a
///         single-party development setup (`nzero setup` and `nzero deploy` route verifiers of your own
///         keys). NexusVerifierDemo (a key from a committed seed) and NexusVerifierTest (the INSECURE test
///         configuration) are refused on any chain but anvil.
contract Deploy {
    /// @notice The deterministic deployment proxy (present on most chains, and on anvil by default).
    address public constant CREATE2_FACTORY = 0x4e59b44847b379578588920cA78FbF26c0B4956C;

    function run() external {
        uint256 key = vm.envUint("PRIVATE_KEY");
        address owner = vm.addr(key);
        bytes32 salt = vm.envOr("NZERO_SALT", keccak256("nexus-zero"));
        string[] memory names = vm.envOr("NZERO_VERIFIERS", ",", defaultVerifiers());
        vm.startBroadcast(key);
        NexusGateway gateway =
            NexusGateway(deploy(salt, abi.encodePacked(type(NexusGateway).creationCode, abi.encode(owner))));
        // The compute bridge verifies through the gateway (`nzero deploy --bridge` lands on the same address).
        address bridge = deploy(salt, abi.encodePacked(type(ComputeBridge).creationCode, abi.encode(address(gateway))));
        string memory verifiers = "{}";
        for (uint256 i = 0; i < names.length; i++) {
            address verifier = deploy(salt, CommittedVerifiers.creationCode(names[i]));
            route(gateway, verifier);
            verifiers = vm.serializeAddress("verifiers", names[i], verifier);
        }
        vm.stopBroadcast();

        vm.serializeUint("deployment", "chain_id", block.chainid);
        vm.serializeBytes32("deployment", "salt", salt);
        vm.serializeAddress("deployment", "owner", owner);
        vm.serializeAddress("deployment", "bridge", bridge);
        vm.serializeAddress("deployment", "create2_factory", CREATE2_FACTORY);
        vm.serializeString("deployment", "verifiers", verifiers);
        string memory json = vm.serializeAddress("deployment", "gateway", address(gateway));
        vm.createDir("deployments", true);
        vm.writeJson(json, string.concat("deployments/", vm.toString(block.chainid), ".json"));
    }

    /// @notice Every committed verifier on a local anvil, none elsewhere.
    function defaultVerifiers() internal view returns (string[] memory names) {
        if (block.chainid != CommittedVerifiers.LOCAL_CHAIN_ID) return new string[](0);
        names = new string[](3);
        (names[0], names[1], names[2]) = ("NexusVerifierDemo", "NexusVerifierTest", "NexusVerifier16");
    }

    /// @notice The CREATE2 address of `initCode` under `salt`, deploying it there if nothing is there yet.
    function deploy(bytes32 salt, bytes memory initCode) internal returns (address deployed) {
        deployed = vm.computeCreate2Address(salt, keccak256(initCode));
        if (deployed.code.length == 0) {
            (bool ok,) = CREATE2_FACTORY.call(abi.encodePacked(salt, initCode));
            require(ok && deployed.code.length != 0, "CREATE2 deployment failed");
        }
    }

    /// @notice Routes `verifier` in `gateway` unless its selector is routed already (to it: fine; to
    ///         another verifier: the deployment is inconsistent and stops).
    function route(NexusGateway gateway, address verifier) internal {
        bytes4 selector = INexusRoutedVerifier(verifier).SELECTOR();
        (address routed,) = gateway.routes(selector);
        if (routed == address(0)) gateway.addRoute(verifier);
        else require(routed == verifier, "selector routed to another verifier");
    }
}
