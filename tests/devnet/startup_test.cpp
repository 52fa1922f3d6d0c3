// How fast a devnet process is ready for a client and gone after SIGTERM: test fixtures start and
// stop one many times, so each second here is paid over and over.
#include <signal.h>

#include <cstdio>
#include <thread>

#include "devnet_fixture.hpp"
#include "process.hpp"
#include "tron/client.hpp"

namespace lanetorrent::devnet::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::string> devnet_argv(lanetorrent::test::TempDir const& dir,
                                     Endpoints const& endpoints) {
    return {LANETORRENT_DEVNET,
            "--listen",
            endpoints.wallet,
            "--solidity-listen",
            endpoints.solidity,
            "--data",
            (dir.path() / "data").string(),
            "--block-interval-ms",
            "3000",
            "--fund",
            key(1).address().base58() + "=100000000,1000000000"};
}

tron::NodeConfig node_config(Endpoints const& endpoints) {
    tron::NodeConfig config;
    config.wallet_address = endpoints.wallet;
    config.solidity_address = endpoints.solidity;
    config.deadline = 2s;
    return config;
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A client made before the node listens (as a test that spawns the node and at once asks it
// for the head does) must get a usable head as soon as the node is up: not after gRPC's backup
// poller noticed the connection (every 5 s), nor after the first block slot (the default 3 s
// blocks here; the client refuses block 0 as a head).
TEST(DevnetStartup, AClientThatAsksTooEarlyIsAnsweredWithinOneSecond) {
    lanetorrent::test::TempDir dir("devnet-startup");
    auto const endpoints = unique_endpoints();
    tron::TronClient client(node_config(endpoints));
    // Fail once against the closed port first, which puts the channel into reconnect backoff.
    ASSERT_FALSE(client.head_block());
    auto const spawned = Clock::now();
    lanetorrent::test::Process devnet("devnet", devnet_argv(dir, endpoints), dir.path());
    while (ms_since(spawned) < 10'000 && !client.head_block()) std::this_thread::sleep_for(10ms);
    double const ready_ms = ms_since(spawned);
    std::printf("devnet process: a usable head %.0f ms after the spawn\n", ready_ms);
    EXPECT_LT(ready_ms, 1000) << devnet.stderr_text();

    // SIGTERM with the client's connection still open: the node must not wait out its grace
    // period for a client that has nothing in flight.
    auto const stopping = Clock::now();
    devnet.signal(SIGTERM);
    EXPECT_EQ(devnet.wait_for(10s), 0);
    double const stop_ms = ms_since(stopping);
    std::printf("devnet process: exited %.0f ms after SIGTERM with a client connected\n", stop_ms);
    EXPECT_LT(stop_ms, 1000);
}

}  // namespace
}  // namespace lanetorrent::devnet::test
