// Command-line funding and the genesis file, without a node.
#include <gtest/gtest.h>

#include "devnet/config.hpp"
#include "devnet_fixture.hpp"

namespace lanetorrent::devnet::test {
namespace {

TEST(DevnetConfig, ParsesFundEntries) {
    auto const address = key(1).address();
    auto const fund = parse_fund(address.base58() + "=5000000,7");
    ASSERT_TRUE(fund.ok()) << fund.error();
    EXPECT_EQ(fund->address, address.wire());
    EXPECT_EQ(fund->trx_sun, 5'000'000);
    EXPECT_EQ(fund->btt_units, 7);
    EXPECT_TRUE(parse_fund(address.hex() + "=1,2").ok());

    EXPECT_FALSE(parse_fund(address.base58()).ok());
    EXPECT_FALSE(parse_fund(address.base58() + "=1").ok());
    EXPECT_FALSE(parse_fund(address.base58() + "=-1,2").ok());
    EXPECT_FALSE(parse_fund(address.base58() + "=1,2x").ok());
    EXPECT_FALSE(parse_fund("Tnot-an-address=1,2").ok());
}

TEST(DevnetConfig, GenesisRoundTrips) {
    lanetorrent::test::TempDir dir("devnet-config");
    auto const demo = demo_genesis(2);
    ASSERT_EQ(demo.accounts.size(), 2u);
    ASSERT_TRUE(write_genesis(dir.path() / "genesis.json", demo).ok());
    auto const read = read_genesis(dir.path() / "genesis.json");
    ASSERT_TRUE(read.ok()) << read.error();
    ASSERT_EQ(read->accounts.size(), 2u);
    EXPECT_EQ(read->accounts[1].address, demo.accounts[1].address);
    EXPECT_EQ(read->accounts[1].btt_units, demo.accounts[1].btt_units);
    EXPECT_EQ(read->asset_id, "1002000");
    EXPECT_EQ(read->asset_precision, 6);
    // The demo keys really own the demo accounts.
    auto const key = tron::PrivateKey::from_hex(demo.demo_private_keys[0]);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->address().wire(), demo.accounts[0].address);

    EXPECT_FALSE(read_genesis(dir.path() / "missing.json").ok());
}

TEST(DevnetConfig, GenesisPermissionsRoundTripAndAreBounded) {
    lanetorrent::test::TempDir dir("devnet-config");
    Genesis genesis;
    GenesisAccount account{key(1).address().wire(), 1, 2};
    account.witness = true;
    account.owner_permission = GenesisPermission{0, "", 1, {{key(1).address().wire(), 1}}};
    account.active_permissions.push_back(
        {4, "pair", 3, {{key(1).address().wire(), 1}, {key(2).address().wire(), 2}}});
    genesis.accounts.push_back(account);
    ASSERT_TRUE(write_genesis(dir.path() / "genesis.json", genesis).ok());
    auto const read = read_genesis(dir.path() / "genesis.json");
    ASSERT_TRUE(read.ok()) << read.error();
    auto const& back = read->accounts.at(0);
    EXPECT_TRUE(back.witness);
    ASSERT_TRUE(back.owner_permission);
    ASSERT_EQ(back.active_permissions.size(), 1u);
    EXPECT_EQ(back.active_permissions[0].id, 4);
    EXPECT_EQ(back.active_permissions[0].threshold, 3);
    EXPECT_EQ(back.active_permissions[0].keys.at(1).address, key(2).address().wire());
    EXPECT_EQ(back.active_permissions[0].keys.at(1).weight, 2);

    // What AccountPermissionUpdateActuator refuses, a genesis refuses too.
    auto unreachable = account;
    unreachable.active_permissions[0].threshold = 4;
    EXPECT_FALSE(validate_permissions(unreachable).ok());
    auto twice = account;
    twice.active_permissions[0].keys[1].address = key(1).address().wire();
    EXPECT_FALSE(validate_permissions(twice).ok());
    auto witness_id = account;
    witness_id.active_permissions[0].id = 1;
    EXPECT_FALSE(validate_permissions(witness_id).ok());
    auto many = account;
    for (int i = 0; i < 5; ++i)
        many.active_permissions[0].keys.push_back({key(3 + i).address().wire(), 1});
    EXPECT_FALSE(validate_permissions(many).ok());
}

}  // namespace
}  // namespace lanetorrent::devnet::test
