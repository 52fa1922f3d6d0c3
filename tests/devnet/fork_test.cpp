// The fork test hook: the devnet drops its newest unsolidified block and the transactions in it
// vanish, as they do for a client whose node switched to another fork.
#include <signal.h>

#include "devnet_fixture.hpp"
#include "process.hpp"

namespace lanetorrent::devnet::test {
namespace {

using namespace std::chrono_literals;

TEST_F(DevnetTest, DroppingTheNewestBlockMakesItsTransactionsVanish) {
    // Slow blocks, so the transfer's block is still the newest when the test drops it.
    auto config = config_;
    config.data_dir = dir_.path() / "fork";
    config.block_interval_ms = 1000;
    restart(config);
    auto const owner_before = clients_->account(key(1).address());
    auto const stranger = key(5).address();
    auto const transfer = signed_transfer(key(1), key(1).address(), stranger, 7, clients_->head());
    ASSERT_TRUE(clients_->broadcast(transfer).result());
    auto const txid = txid_of(transfer);
    auto const info = clients_->wait_for_info(txid, false, 5s);
    ASSERT_TRUE(info);
    ASSERT_EQ(clients_->head().number, info->blocknumber());
    ASSERT_EQ(clients_->btt(stranger), 7);

    auto const dropped = node_->chain().drop_head_block();
    ASSERT_TRUE(dropped.ok()) << dropped.error();
    EXPECT_EQ(*dropped, info->blocknumber());
    EXPECT_TRUE(clients_->info(txid).id().empty());
    grpc::ClientContext context;
    protocol::BytesMessage request;
    request.set_value(txid);
    protocol::Transaction found;
    ASSERT_TRUE(clients_->wallet->GetTransactionById(&context, request, &found).ok());
    EXPECT_EQ(found.raw_data().contract_size(), 0);
    // Balances as before the transfer: the owner's BTT and fees back, the new account gone.
    auto const owner_after = clients_->account(key(1).address());
    EXPECT_EQ(owner_after.assetv2().at("1002000"), owner_before.assetv2().at("1002000"));
    EXPECT_EQ(owner_after.balance(), owner_before.balance());
    EXPECT_TRUE(clients_->account(stranger).address().empty());
    EXPECT_EQ(clients_->head().number, info->blocknumber() - 1);

    // The chain goes on with a new block of that number, and the transfer can be sent again.
    ASSERT_TRUE(clients_->broadcast(transfer).result());
    auto const again = clients_->wait_for_info(txid, false, 5s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->blocknumber(), info->blocknumber());
    EXPECT_EQ(clients_->btt(stranger), 7);
}

TEST_F(DevnetTest, ASolidifiedBlockIsNeverDropped) {
    auto config = config_;
    config.data_dir = dir_.path() / "solid";
    config.solidify_after = 0;
    restart(config);
    auto const head = clients_->head().number;
    auto const dropped = node_->chain().drop_head_block();
    EXPECT_FALSE(dropped.ok());
    EXPECT_GE(clients_->head().number, head);
}

TEST(DevnetForkHook, SigusrOneDropsTheNewestBlockOfADevnetProcess) {
    lanetorrent::test::TempDir dir("devnet-fork");
    auto const endpoints = unique_endpoints();
    lanetorrent::test::Process devnet(
        "devnet",
        {LANETORRENT_DEVNET, "--listen", endpoints.wallet, "--solidity-listen", endpoints.solidity,
         "--data", (dir.path() / "data").string(), "--block-interval-ms", "1000",
         "--solidify-after", "5", "--test-hooks", "--fund",
         key(1).address().base58() + "=100000000,1000000000"},
        dir.path());
    ASSERT_TRUE(devnet.wait_for_line(
        [](std::string_view line) { return line.find("listening") != line.npos; }, 10s));
    Clients clients(endpoints);
    auto const transfer =
        signed_transfer(key(1), key(1).address(), key(2).address(), 3, clients.head());
    ASSERT_TRUE(clients.broadcast(transfer).result());
    auto const info = clients.wait_for_info(txid_of(transfer), false, 5s);
    ASSERT_TRUE(info);

    devnet.signal(SIGUSR1);
    auto const line = devnet.wait_for_line(
        [](std::string_view text) { return text.find("test hook:") != text.npos; }, 5s);
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("dropped block " + std::to_string(info->blocknumber())), std::string::npos)
        << *line;
    EXPECT_TRUE(clients.info(txid_of(transfer)).id().empty());
    EXPECT_EQ(clients.btt(key(2).address()), 0);
}

}  // namespace
}  // namespace lanetorrent::devnet::test
