// TronClient against a node that misbehaves on purpose: lies about blocks and accounts, is busy,
// refuses with every kind of code, answers too slowly. A real gRPC server on loopback.
#include "tron/client.hpp"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "net.hpp"

namespace lanetorrent::tron {
namespace {
using namespace std::chrono_literals;

class MisbehavingNode final : public protocol::Wallet::Service {
  public:
    std::atomic<int> busy_answers{0};  // SERVER_BUSY this many times, then SUCCESS
    std::atomic<int> broadcasts{0};
    protocol::Return::response_code refusal = protocol::Return::SUCCESS;
    bool lie_about_block = false;
    bool lie_about_account = false;
    std::chrono::milliseconds delay{0};
    std::string seen_api_key;

    grpc::Status GetNowBlock2(grpc::ServerContext* context, protocol::EmptyMessage const*,
                              protocol::BlockExtention* reply) override {
        remember_key(context);
        std::this_thread::sleep_for(delay);
        std::int64_t const number = 1234;
        std::string id(32, '\x07');
        for (int i = 0; i < 8; ++i) id[i] = static_cast<char>((number >> (8 * (7 - i))) & 0xff);
        if (lie_about_block) id[7] ^= 1;
        reply->set_blockid(id);
        reply->mutable_block_header()->mutable_raw_data()->set_number(number);
        reply->mutable_block_header()->mutable_raw_data()->set_timestamp(1'700'000'000'000);
        return grpc::Status::OK;
    }

    grpc::Status GetAccount(grpc::ServerContext*, protocol::Account const* request,
                            protocol::Account* reply) override {
        if (request->address().back() == 0x01) return grpc::Status::OK;  // "not found"
        auto address = request->address();
        if (lie_about_account) address.back() ^= 1;
        reply->set_address(address);
        reply->set_balance(42);
        (*reply->mutable_assetv2())["1002000"] = 7;
        return grpc::Status::OK;
    }

    grpc::Status BroadcastTransaction(grpc::ServerContext*, protocol::Transaction const*,
                                      protocol::Return* reply) override {
        ++broadcasts;
        if (busy_answers > 0) {
            --busy_answers;
            reply->set_code(protocol::Return::SERVER_BUSY);
            reply->set_message("Server busy.");
            return grpc::Status::OK;
        }
        reply->set_code(refusal);
        reply->set_result(refusal == protocol::Return::SUCCESS);
        if (refusal != protocol::Return::SUCCESS) reply->set_message("the node's own words");
        return grpc::Status::OK;
    }

  private:
    void remember_key(grpc::ServerContext* context) {
        auto const& metadata = context->client_metadata();
        if (auto it = metadata.find("tron-pro-api-key"); it != metadata.end()) {
            seen_api_key.assign(it->second.data(), it->second.size());
        }
    }
};

class TronClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto const ip = test::unique_loopback_ip();
        address_ = ip + ":" + std::to_string(test::free_port(ip));
        grpc::ServerBuilder builder;
        builder.AddListeningPort(address_, grpc::InsecureServerCredentials());
        builder.RegisterService(&node_);
        server_ = builder.BuildAndStart();
        ASSERT_TRUE(server_);
    }
    void TearDown() override { server_->Shutdown(std::chrono::system_clock::now() + 1s); }

    TronClient client(std::chrono::milliseconds deadline = 2s) {
        NodeConfig config;
        config.wallet_address = address_;
        config.solidity_address = address_;
        config.deadline = deadline;
        config.first_backoff = 10ms;
        config.api_key = "test-key";
        return TronClient(config);
    }

    protocol::Transaction some_transaction() {
        auto const key = PrivateKey::generate();
        BlockReference ref;
        ref.number = 1;
        AssetTransfer transfer{key.address(), PrivateKey::generate().address(), "1002000", 5};
        auto tx = build_asset_transfer(transfer, ref, 1'700'000'000'000);
        sign_transaction(tx, key);
        return tx;
    }

    MisbehavingNode node_;
    std::string address_;
    std::unique_ptr<grpc::Server> server_;
};

TEST_F(TronClientTest, HeadBlockIsCheckedAndCarriesTheApiKey) {
    auto c = client();
    auto head = c.head_block();
    ASSERT_TRUE(head) << head.error();
    EXPECT_EQ(head->number, 1234);
    EXPECT_EQ(node_.seen_api_key, "test-key");

    node_.lie_about_block = true;
    auto lie = c.head_block();
    ASSERT_FALSE(lie);
    EXPECT_EQ(lie.failure().kind, NodeError::Kind::bad_reply);
    EXPECT_NE(lie.error().find("does not match its number"), std::string::npos) << lie.error();
}

TEST_F(TronClientTest, AccountsNotFoundAndForeignAnswers) {
    auto c = client();
    // The fake node treats addresses ending in 0x01 as unknown; draw one that does not.
    auto key = PrivateKey::generate();
    while (key.address().bytes().back() == 0x01) key = PrivateKey::generate();
    auto balances = c.balances(key.address());
    ASSERT_TRUE(balances) << balances.error();
    ASSERT_TRUE(balances.value());
    EXPECT_EQ((*balances)->trx_sun, 42);
    EXPECT_EQ((*balances)->assets.at("1002000"), 7);

    node_.lie_about_account = true;
    auto lie = c.balances(key.address());
    ASSERT_FALSE(lie);
    EXPECT_EQ(lie.failure().kind, NodeError::Kind::bad_reply);

    auto bytes = key.address().bytes();
    bytes.back() = 0x01;
    auto unknown = c.balances(Address::from_bytes(bytes).value());
    ASSERT_TRUE(unknown) << unknown.error();
    EXPECT_FALSE(unknown.value()) << "OK with an empty message means: no such account";
}

TEST_F(TronClientTest, BusyNodeIsRetriedAndDuplicateMeansAlreadySent) {
    auto c = client();
    node_.busy_answers = 2;
    auto sent = c.broadcast(some_transaction());
    ASSERT_TRUE(sent) << sent.error();
    EXPECT_EQ(sent.value(), BroadcastOutcome::accepted);
    EXPECT_EQ(node_.broadcasts, 3);

    node_.refusal = protocol::Return::DUP_TRANSACTION_ERROR;
    auto again = c.broadcast(some_transaction());
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(again.value(), BroadcastOutcome::already_known);
}

TEST_F(TronClientTest, EveryRefusalIsTypedWithTheNodesMessage) {
    using Code = protocol::Return;
    std::vector<std::pair<Code::response_code, NodeError::Kind>> const cases = {
        {Code::SIGERROR, NodeError::Kind::signature},
        {Code::CONTRACT_VALIDATE_ERROR, NodeError::Kind::contract_validate},
        {Code::CONTRACT_EXE_ERROR, NodeError::Kind::contract_execute},
        {Code::BANDWITH_ERROR, NodeError::Kind::bandwidth},
        {Code::TAPOS_ERROR, NodeError::Kind::tapos},
        {Code::TOO_BIG_TRANSACTION_ERROR, NodeError::Kind::too_big},
        {Code::TRANSACTION_EXPIRATION_ERROR, NodeError::Kind::expired},
        {Code::NO_CONNECTION, NodeError::Kind::no_connection},
        {Code::NOT_ENOUGH_EFFECTIVE_CONNECTION, NodeError::Kind::no_connection},
        {Code::BLOCK_UNSOLIDIFIED, NodeError::Kind::unsolidified},
        {Code::OTHER_ERROR, NodeError::Kind::other},
    };
    auto c = client();
    for (auto const& [code, kind] : cases) {
        node_.refusal = code;
        auto refused = c.broadcast(some_transaction());
        ASSERT_FALSE(refused) << Code::response_code_Name(code);
        EXPECT_EQ(refused.failure().kind, kind) << Code::response_code_Name(code);
        EXPECT_NE(refused.error().find(Code::response_code_Name(code)), std::string::npos);
        EXPECT_NE(refused.error().find("the node's own words"), std::string::npos);
    }
}

TEST_F(TronClientTest, SlowNodeTimesOutAndMissingNodeIsUnreachable) {
    node_.delay = 400ms;
    auto slow = client(100ms).head_block();
    ASSERT_FALSE(slow);
    EXPECT_EQ(slow.failure().kind, NodeError::Kind::timeout);

    auto const ip = test::unique_loopback_ip();
    NodeConfig nowhere;
    nowhere.wallet_address = ip + ":" + std::to_string(test::free_port(ip));
    nowhere.deadline = 500ms;
    nowhere.first_backoff = 10ms;
    auto missing = TronClient(nowhere).head_block();
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.failure().kind == NodeError::Kind::unreachable ||
                missing.failure().kind == NodeError::Kind::timeout)
        << to_string(missing.failure().kind);
    EXPECT_NE(missing.error().find(nowhere.wallet_address), std::string::npos);
}

}  // namespace
}  // namespace lanetorrent::tron
