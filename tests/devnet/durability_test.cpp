// The devnet as a real process: kill -9 must lose neither a produced block nor a transaction the
// node acknowledged with SUCCESS, and a restart continues the same chain.
#include <thread>

#include "devnet_fixture.hpp"
#include "process.hpp"

namespace lanetorrent::devnet::test {
namespace {

using namespace std::chrono_literals;

class DevnetProcess {
  public:
    DevnetProcess(std::string const& name, lanetorrent::test::TempDir const& dir,
                  Endpoints const& endpoints)
        : process_(name,
                   {LANETORRENT_DEVNET, "--listen", endpoints.wallet, "--solidity-listen",
                    endpoints.solidity, "--data", (dir.path() / "data").string(),
                    "--block-interval-ms", "100", "--solidify-after", "3", "--fund",
                    key(1).address().base58() + "=100000000,1000000000"},
                   dir.path()) {}

    bool wait_until_listening() {
        return process_
            .wait_for_line(
                [](std::string_view line) { return line.find("listening") != line.npos; }, 10s)
            .has_value();
    }
    lanetorrent::test::Process& process() { return process_; }

  private:
    lanetorrent::test::Process process_;
};

TEST(DevnetDurability, KillNineKeepsConfirmedAndAcknowledgedTransactions) {
    lanetorrent::test::TempDir dir("devnet-durability");
    auto const endpoints = unique_endpoints();
    std::string confirmed;
    std::string acknowledged;
    std::int64_t confirmed_block = 0;
    std::int64_t head_before = 0;
    {
        DevnetProcess devnet("devnet-1", dir, endpoints);
        ASSERT_TRUE(devnet.wait_until_listening()) << devnet.process().stderr_text();
        Clients clients(endpoints);
        auto const first =
            signed_transfer(key(1), key(1).address(), key(2).address(), 7, clients.head());
        ASSERT_TRUE(clients.broadcast(first).result());
        confirmed = txid_of(first);
        auto const info = clients.wait_for_info(confirmed, false, 5s);
        ASSERT_TRUE(info);
        confirmed_block = info->blocknumber();
        // Acknowledged but maybe not in a block yet when the kill lands.
        auto const second =
            signed_transfer(key(1), key(1).address(), key(2).address(), 11, clients.head());
        ASSERT_TRUE(clients.broadcast(second).result());
        acknowledged = txid_of(second);
        head_before = clients.head().number;
        EXPECT_EQ(devnet.process().kill(), 128 + SIGKILL);
    }
    {
        DevnetProcess devnet("devnet-2", dir, endpoints);
        ASSERT_TRUE(devnet.wait_until_listening()) << devnet.process().stderr_text();
        Clients clients(endpoints);
        EXPECT_GE(clients.head().number, head_before);
        auto const info = clients.info(confirmed);
        EXPECT_EQ(info.blocknumber(), confirmed_block);
        ASSERT_TRUE(clients.wait_for_info(acknowledged, false, 5s));
        EXPECT_EQ(clients.btt(key(2).address()), 18);
        EXPECT_EQ(clients
                      .broadcast(signed_transfer(key(1), key(1).address(), key(2).address(), 1,
                                                 clients.head()))
                      .code(),
                  protocol::Return::SUCCESS);
        // SIGTERM stops it cleanly.
        devnet.process().signal(SIGTERM);
        EXPECT_EQ(devnet.process().wait_for(10s), 0);
    }
}

}  // namespace
}  // namespace lanetorrent::devnet::test
