// The devnet as a real process: kill -9 must lose neither a produced block nor a transaction the
// node acknowledged with SUCCESS, and a restart continues the same chain.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
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

// The kill -9 test below calls the node while it may be dead: every call has a short deadline
// and says whether it got an answer, instead of failing the test.
class Tolerant {
  public:
    explicit Tolerant(Endpoints const& endpoints)
        : wallet_(protocol::Wallet::NewStub(
              grpc::CreateChannel(endpoints.wallet, grpc::InsecureChannelCredentials()))) {}

    std::optional<tron::BlockReference> head() {
        protocol::BlockExtention block;
        auto context = with_deadline();
        if (!wallet_->GetNowBlock2(context.get(), protocol::EmptyMessage(), &block).ok()) {
            return std::nullopt;
        }
        tron::BlockReference ref;
        ref.number = block.block_header().raw_data().number();
        ref.timestamp_ms = block.block_header().raw_data().timestamp();
        if (block.blockid().size() != 32) return std::nullopt;
        std::copy_n(block.blockid().begin(), 32, ref.id.begin());
        return ref;
    }
    // The node's answer code, or nullopt if no answer came (it may still have the transaction).
    std::optional<protocol::Return::response_code> broadcast(protocol::Transaction const& tx) {
        protocol::Return ret;
        auto context = with_deadline();
        if (!wallet_->BroadcastTransaction(context.get(), tx, &ret).ok()) return std::nullopt;
        return ret.code();
    }
    // nullopt: no answer; an empty info: not in a block.
    std::optional<protocol::TransactionInfo> info(std::string const& txid) {
        protocol::BytesMessage request;
        request.set_value(txid);
        protocol::TransactionInfo found;
        auto context = with_deadline();
        if (!wallet_->GetTransactionInfoById(context.get(), request, &found).ok()) {
            return std::nullopt;
        }
        return found;
    }
    std::optional<std::int64_t> btt(tron::Address const& address) {
        protocol::Account request;
        request.set_address(address.wire());
        protocol::Account account;
        auto context = with_deadline();
        if (!wallet_->GetAccount(context.get(), request, &account).ok()) return std::nullopt;
        auto const it = account.assetv2().find("1002000");
        return it == account.assetv2().end() ? 0 : it->second;
    }

  private:
    static std::unique_ptr<grpc::ClientContext> with_deadline() {
        auto context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(std::chrono::system_clock::now() + 1s);
        return context;
    }
    std::unique_ptr<protocol::Wallet::Stub> wallet_;
};

// What the broadcasting thread learnt about one transfer before a kill.
struct Sent {
    std::int64_t amount = 0;
    bool acknowledged = false;  // the node answered SUCCESS
    std::int64_t block = 0;     // seen in this block before a kill (0: not seen)
    std::string info;           // its TransactionInfo then, serialized
};

TEST(DevnetDurability, TenRandomKillsLoseNoConfirmedOrAcknowledgedTransaction) {
    lanetorrent::test::TempDir dir("devnet-kills");
    auto const endpoints = unique_endpoints();
    auto const seed = std::random_device{}();
    std::cout << "[ devnet   ] kill moments from seed " << seed << "\n";
    std::mt19937 random(seed);
    auto const sender = key(1);
    auto const receiver = key(2);
    auto start = [&](int run) {
        auto process = std::make_unique<lanetorrent::test::Process>(
            "devnet-" + std::to_string(run),
            std::vector<std::string>{LANETORRENT_DEVNET, "--listen", endpoints.wallet,
                                     "--solidity-listen", endpoints.solidity, "--data",
                                     (dir.path() / "data").string(), "--block-interval-ms", "50",
                                     "--solidify-after", "3", "--fund",
                                     sender.address().base58() + "=1000000000000,1000000000000",
                                     "--fund", receiver.address().base58() + "=1000000,0"},
            dir.path());
        auto const up = process->wait_for_line(
            [](std::string_view line) { return line.find("listening") != line.npos; }, 10s);
        EXPECT_TRUE(up) << process->stderr_text();
        return process;
    };

    std::map<std::string, Sent> sent;  // by txid
    std::mutex sent_mutex;
    std::int64_t highest_head = 0;  // the highest block number the node ever showed
    std::int64_t next_amount = 1;
    auto devnet = start(0);
    auto const started = std::chrono::steady_clock::now();
    for (int round = 1; round <= 10; ++round) {
        auto const kill_after =
            std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 1200)(random));
        std::atomic<bool> stop{false};
        std::thread broadcaster([&] {
            Tolerant node(endpoints);
            std::optional<tron::BlockReference> ref;
            std::vector<std::string> waiting;  // acknowledged, not yet seen in a block
            for (int n = 0; !stop; ++n) {
                if (!ref || n % 10 == 0) {
                    if (auto head = node.head(); head) {
                        ref = head;
                        std::lock_guard lock(sent_mutex);
                        highest_head = std::max(highest_head, head->number);
                    }
                }
                if (!ref) {
                    std::this_thread::sleep_for(10ms);
                    continue;
                }
                auto const tx = signed_transfer(sender, sender.address(), receiver.address(),
                                                next_amount, *ref);
                auto const txid = txid_of(tx);
                {
                    std::lock_guard lock(sent_mutex);
                    sent[txid].amount = next_amount++;
                }
                auto const code = node.broadcast(tx);
                if (code == protocol::Return::SUCCESS) {
                    std::lock_guard lock(sent_mutex);
                    sent[txid].acknowledged = true;
                    waiting.push_back(txid);
                }
                // Look for earlier ones in blocks: what is seen here must survive every kill.
                std::erase_if(waiting, [&](std::string const& id) {
                    auto const info = node.info(id);
                    if (!info || info->id().empty()) return false;
                    std::lock_guard lock(sent_mutex);
                    sent[id].block = info->blocknumber();
                    sent[id].info = info->SerializeAsString();
                    highest_head = std::max(highest_head, info->blocknumber());
                    return true;
                });
                std::this_thread::sleep_for(3ms);
            }
        });
        std::this_thread::sleep_for(kill_after);
        EXPECT_EQ(devnet->kill(), 128 + SIGKILL);
        stop = true;
        broadcaster.join();
        devnet = start(round);

        Tolerant node(endpoints);
        auto const head = node.head();
        ASSERT_TRUE(head) << devnet->stderr_text();
        EXPECT_GE(head->number, highest_head) << "round " << round << ": the chain went back";
        // Acknowledged ones are in a block, or pending and in one soon.
        auto const deadline = std::chrono::steady_clock::now() + 5s;
        for (auto const& [txid, s] : sent) {
            if (!s.acknowledged || s.block > 0) continue;
            while (true) {
                auto const info = node.info(txid);
                if (info && !info->id().empty()) break;
                if (std::chrono::steady_clock::now() > deadline) {
                    ADD_FAILURE() << "round " << round << ": acknowledged transfer of " << s.amount
                                  << " is lost";
                    break;
                }
                std::this_thread::sleep_for(20ms);
            }
        }
        std::this_thread::sleep_for(200ms);  // four blocks: an unacknowledged one still pending
                                             // is in one by now
        // Confirmed ones are still in the same block with the same result; the balance is the
        // sum of the transfers in blocks (acknowledged or not: a kill may have taken the answer).
        auto const balance = node.btt(receiver.address());
        ASSERT_TRUE(balance);
        std::int64_t in_blocks = 0;
        int confirmed = 0;
        int acknowledged = 0;
        for (auto& [txid, s] : sent) {
            auto const info = node.info(txid);
            ASSERT_TRUE(info) << devnet->stderr_text();
            acknowledged += s.acknowledged;
            if (s.block > 0) {
                EXPECT_EQ(info->blocknumber(), s.block)
                    << "round " << round << ": transfer of " << s.amount << " moved";
                EXPECT_EQ(info->SerializeAsString(), s.info)
                    << "round " << round << ": transfer of " << s.amount << " changed";
            }
            if (info->id().empty()) continue;
            ++confirmed;
            if (info->result() != protocol::TransactionInfo::FAILED) in_blocks += s.amount;
            // From now on it is a confirmed transaction like those seen before the kill.
            s.block = info->blocknumber();
            s.info = info->SerializeAsString();
            highest_head = std::max(highest_head, s.block);
        }
        EXPECT_EQ(*balance, in_blocks) << "round " << round;
        std::cout << "[ devnet   ] round " << round << ": killed after " << kill_after.count()
                  << " ms at head >= " << head->number << "; " << sent.size() << " sent, "
                  << acknowledged << " acknowledged, " << confirmed << " in blocks\n";
    }
    std::cout << "[ devnet   ] ten kills in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << " s\n";
    devnet->signal(SIGTERM);
    EXPECT_EQ(devnet->wait_for(10s), 0);
}

}  // namespace
}  // namespace lanetorrent::devnet::test
