// ChainWorker against a real in-process devnet behind a test::TcpProxy: what a person is told
// when the node goes away, and that the jobs held meanwhile run once it is back.
#include "lanes/chain_worker.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "devnet_fixture.hpp"
#include "tcp_proxy.hpp"

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;
using Mode = test::TcpProxy::Mode;

class ChainWorkerTest : public devnet::test::DevnetTest {
  protected:
    void SetUp() override {
        DevnetTest::SetUp();
        // Genesis is no usable head block: wait for the first produced one.
        for (int i = 0; i < 100 && clients_->head().number <= 0; ++i) {
            std::this_thread::sleep_for(50ms);
        }
        proxy_ = std::make_unique<test::TcpProxy>(endpoints_.wallet);
        tron::NodeConfig node;
        node.wallet_address = proxy_->endpoint();
        node.solidity_address = endpoints_.solidity;
        node.deadline = 1s;
        node.first_backoff = 10ms;
        worker_ = std::make_unique<ChainWorker>(node);
    }
    void TearDown() override {
        worker_.reset();
        proxy_.reset();
        DevnetTest::TearDown();
    }

    // Queues a head-block job; the returned flag is set once its continuation ran here, to
    // whether the node answered it.
    std::shared_ptr<std::optional<bool>> submit_head_job() {
        auto answered = std::make_shared<std::optional<bool>>();
        worker_->submit([answered](tron::TronClient& client) -> std::function<void()> {
            bool const ok = static_cast<bool>(client.head_block());
            return [answered, ok] { *answered = ok; };
        });
        return answered;
    }

    // Runs continuations and collects notices until `done` holds or `timeout` passes.
    template <typename Done>
    bool pump(std::chrono::milliseconds timeout, Done done) {
        auto const until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            for (auto& continuation : worker_->take_done()) continuation();
            for (auto& notice : worker_->take_node_notices()) notices_.push_back(notice);
            if (done()) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    std::unique_ptr<test::TcpProxy> proxy_;
    std::unique_ptr<ChainWorker> worker_;
    std::vector<ChainWorker::NodeNotice> notices_;
};

// The first call after the switch only sees its connection drop; the sentence must still name
// what is at the address now, every time.
TEST_F(ChainWorkerTest, AnOutageIsNamedByItsCauseOnceAndItsEndToo) {
    auto const first = submit_head_job();
    ASSERT_TRUE(pump(10s, [&] { return first->value_or(false); }));
    ASSERT_TRUE(notices_.empty());

    struct Case {
        Mode mode;
        char const* reason;
    };
    for (int round = 0; round < 3; ++round) {
        for (auto const& c :
             {Case{Mode::refuse, "(connection refused)"}, Case{Mode::garbage, "but not gRPC"},
              Case{Mode::blackhole, "did not answer within 1 s"}}) {
            SCOPED_TRACE(c.reason);
            notices_.clear();
            proxy_->set_mode(c.mode);
            // A job is checked for first once the node's last answer is older than 2 s.
            std::this_thread::sleep_for(2100ms);
            auto const held = submit_head_job();
            ASSERT_TRUE(pump(10s, [&] { return !notices_.empty(); })) << "nothing said";
            ASSERT_EQ(notices_.size(), 1u);
            EXPECT_FALSE(notices_[0].answers);
            EXPECT_NE(notices_[0].text.find(proxy_->endpoint()), std::string::npos)
                << notices_[0].text;
            EXPECT_NE(notices_[0].text.find(c.reason), std::string::npos) << notices_[0].text;
            EXPECT_FALSE(held->has_value()) << "the job ran against a failing node";
            EXPECT_FALSE(worker_->node_answers());

            proxy_->set_mode(Mode::forward);
            ASSERT_TRUE(pump(10s, [&] { return held->has_value(); })) << "the job never ran";
            EXPECT_TRUE(**held);
            ASSERT_EQ(notices_.size(), 2u);
            EXPECT_TRUE(notices_[1].answers);
            EXPECT_NE(notices_[1].text.find("answers again"), std::string::npos)
                << notices_[1].text;
        }
    }
}

// A dropped connection that the next dial mends is no outage: nothing to tell anyone.
TEST_F(ChainWorkerTest, ADroppedConnectionThatRedialsIsNotAnOutage) {
    for (int round = 0; round < 5; ++round) {
        auto const job = submit_head_job();
        ASSERT_TRUE(pump(10s, [&] { return job->value_or(false); }));
        proxy_->set_mode(Mode::forward);  // closes every open connection
    }
    std::this_thread::sleep_for(3s);  // past the 2 s "fresh enough" window: a check runs
    auto const last = submit_head_job();
    ASSERT_TRUE(pump(10s, [&] { return last->value_or(false); }));
    EXPECT_TRUE(notices_.empty()) << notices_.front().text;
    EXPECT_GE(proxy_->accepted(), 2u);
}

}  // namespace
}  // namespace lanetorrent::lanes
