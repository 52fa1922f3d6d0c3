#include "devnet/permissions.hpp"

#include <set>

#include "devnet/wire.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::devnet {
namespace {

constexpr std::size_t kSignatureBytes = 65;

protocol::Permission single_key(protocol::Permission::PermissionType type, int id, char const* name,
                                std::string const& address) {
    protocol::Permission permission;
    permission.set_type(type);
    permission.set_id(id);
    permission.set_permission_name(name);
    permission.set_threshold(1);
    permission.set_parent_id(0);
    auto& key = *permission.add_keys();
    key.set_address(address);
    key.set_weight(1);
    return permission;
}

std::int64_t weight_of(protocol::Permission const& permission, std::string const& address) {
    for (auto const& key : permission.keys()) {
        if (key.address() == address) return key.weight();
    }
    return 0;
}

// checkPermission: any permission but the owner's must be an active one that allows the contract.
std::optional<std::string> check_permission(int id, protocol::Permission const& permission,
                                            protocol::Transaction::Contract const& contract) {
    if (id == kOwnerPermissionId) return std::nullopt;
    if (permission.type() != protocol::Permission::Active) return "Permission type is error";
    auto const& operations = permission.operations();
    if (operations.size() != 32) {
        return "operations size must 32, actual: " + std::to_string(operations.size());
    }
    auto const type = static_cast<int>(contract.type());
    if ((static_cast<std::uint8_t>(operations[type / 8]) & (1 << (type % 8))) == 0) {
        return "Permission denied";
    }
    return std::nullopt;
}

}  // namespace

std::string active_default_operations() {
    auto const bytes =
        tron::from_hex("7fff1fc0033e0000000000000000000000000000000000000000000000000000").value();
    return {bytes.begin(), bytes.end()};
}

protocol::Permission default_owner_permission(std::string const& address) {
    return single_key(protocol::Permission::Owner, kOwnerPermissionId, "owner", address);
}

protocol::Permission default_active_permission(std::string const& address) {
    auto permission =
        single_key(protocol::Permission::Active, kActivePermissionId, "active", address);
    permission.set_operations(active_default_operations());
    return permission;
}

protocol::Permission default_witness_permission(std::string const& address) {
    return single_key(protocol::Permission::Witness, kWitnessPermissionId, "witness", address);
}

AccountPermissions default_permissions(std::string const& address, bool witness) {
    AccountPermissions permissions;
    permissions.owner = default_owner_permission(address);
    if (witness) permissions.witness = default_witness_permission(address);
    permissions.actives.push_back(default_active_permission(address));
    return permissions;
}

std::optional<protocol::Permission> permission_by_id(std::string const& owner,
                                                     AccountPermissions const* account, int id) {
    if (!account) {
        if (id == kOwnerPermissionId) return default_owner_permission(owner);
        if (id == kActivePermissionId) return default_active_permission(owner);
        return std::nullopt;
    }
    if (id == kOwnerPermissionId) return account->owner;
    if (id == kWitnessPermissionId) return account->witness;
    for (auto const& permission : account->actives) {
        if (permission.id() == id) return permission;
    }
    return std::nullopt;
}

std::optional<std::string> check_signatures(protocol::Transaction const& transaction,
                                            tron::Hash32 const& txid, std::string const& owner,
                                            AccountPermissions const* account) {
    if (transaction.signature_size() == 0 || transaction.raw_data().contract_size() == 0) {
        return "miss sig or contract";
    }
    if (transaction.signature_size() > kTotalSignNum) return "too many signatures";

    auto const& contract = transaction.raw_data().contract(0);
    int const id = contract.permission_id();
    auto const permission = permission_by_id(owner, account, id);
    if (!permission) return "permission isn't exit";  // sic, java-tron's words
    if (auto denied = check_permission(id, *permission, contract)) return denied;

    // checkWeight
    if (transaction.signature_size() > permission->keys_size()) {
        return "Signature count is " + std::to_string(transaction.signature_size()) +
               " more than key counts of permission : " + std::to_string(permission->keys_size());
    }
    std::set<std::string> signers;
    std::int64_t weight = 0;
    for (auto const& signature : transaction.signature()) {
        if (signature.size() < kSignatureBytes) {
            return "Signature size is " + std::to_string(signature.size());
        }
        // java-tron reads r, s and v from the first 65 bytes and ignores any more.
        auto const signer = tron::recover_signer(txid, as_span(signature).first(kSignatureBytes));
        if (!signer) return signer.error();
        std::int64_t const key_weight = weight_of(*permission, signer->wire());
        if (key_weight == 0) {
            return tron::to_hex(as_span(signature)) + " is signed by " + signer->base58() +
                   " but it is not contained of permission.";
        }
        // Since VERSION_4_7_1 a signer is known by its address, so a second signature by the
        // same key in another encoding (v = 0 or 27, high or low s) is caught too.
        if (!signers.insert(signer->wire()).second) return signer->base58() + " has signed twice!";
        weight += key_weight;
    }
    if (weight < permission->threshold()) return "sig error";
    return std::nullopt;
}

}  // namespace lanetorrent::devnet
