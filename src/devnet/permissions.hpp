// Who may sign for an account: java-tron's permission model (AccountCapsule's default permissions
// and getPermissionById, TransactionCapsule.validatePubSignature, checkPermission and
// checkWeight), as pure functions over protocol::Permission, with java-tron's messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Tron.pb.h"
#include "tron/bytes.hpp"

namespace lanetorrent::devnet {

inline constexpr int kOwnerPermissionId = 0;
inline constexpr int kWitnessPermissionId = 1;
inline constexpr int kActivePermissionId = 2;
// DynamicPropertiesStore.getTotalSignNum: mainnet's value, also the most keys a permission holds.
inline constexpr int kTotalSignNum = 5;
// An account holds at most 8 active permissions (AccountPermissionUpdateActuator).
inline constexpr int kMaxActivePermissions = 8;

// DynamicPropertiesStore's default ACTIVE_DEFAULT_OPERATIONS: one bit per contract type.
std::string active_default_operations();

// AccountCapsule.createDefault{Owner,Active,Witness}Permission: the account's own key, weight 1,
// threshold 1.
protocol::Permission default_owner_permission(std::string const& address);
protocol::Permission default_active_permission(std::string const& address);
protocol::Permission default_witness_permission(std::string const& address);

// An existing account's permissions as java-tron holds them (ALLOW_MULTI_SIGN is on, so every
// account gets an owner and an active permission; only a witness has a witness permission).
struct AccountPermissions {
    protocol::Permission owner;
    std::optional<protocol::Permission> witness;
    std::vector<protocol::Permission> actives;
};
AccountPermissions default_permissions(std::string const& address, bool witness);

// AccountCapsule.getPermissionById for an existing account; for a missing one (nullptr) the
// defaults validateSignature falls back on: owner (0) and active (2) only.
std::optional<protocol::Permission> permission_by_id(std::string const& owner,
                                                     AccountPermissions const* account, int id);

// validatePubSignature: nullopt when the signatures carry the threshold of the permission the
// contract names, else java-tron's reason (what follows "Validate signature error: ").
std::optional<std::string> check_signatures(protocol::Transaction const& transaction,
                                            tron::Hash32 const& txid, std::string const& owner,
                                            AccountPermissions const* account);

}  // namespace lanetorrent::devnet
