#include "devnet_fixture.hpp"

#include <algorithm>
#include <thread>

#include "net.hpp"
#include "tron/bytes.hpp"

namespace lanetorrent::devnet::test {

tron::PrivateKey key(int n) {
    std::string hex(64, '0');
    hex[63] = static_cast<char>('0' + n);
    return tron::PrivateKey::from_hex(hex).value();
}

Endpoints unique_endpoints() {
    auto const ip = lanetorrent::test::unique_loopback_ip();
    return {ip + ":" + std::to_string(lanetorrent::test::free_port(ip)),
            ip + ":" + std::to_string(lanetorrent::test::free_port(ip))};
}

Clients::Clients(Endpoints const& endpoints)
    : wallet(protocol::Wallet::NewStub(
          grpc::CreateChannel(endpoints.wallet, grpc::InsecureChannelCredentials()))),
      solidity(protocol::WalletSolidity::NewStub(
          grpc::CreateChannel(endpoints.solidity, grpc::InsecureChannelCredentials()))) {}

namespace {

template <class Reply, class Call>
Reply call(Call&& f) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Reply reply;
    auto const status = f(&context, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
}

protocol::BytesMessage bytes_message(std::string const& value) {
    protocol::BytesMessage message;
    message.set_value(value);
    return message;
}

protocol::Account account_request(tron::Address const& address) {
    protocol::Account request;
    request.set_address(address.wire());
    return request;
}

}  // namespace

tron::BlockReference Clients::head() {
    auto const block = call<protocol::BlockExtention>(
        [&](auto* c, auto* r) { return wallet->GetNowBlock2(c, protocol::EmptyMessage(), r); });
    tron::BlockReference ref;
    ref.number = block.block_header().raw_data().number();
    ref.timestamp_ms = block.block_header().raw_data().timestamp();
    EXPECT_EQ(block.blockid().size(), 32u);
    std::copy_n(block.blockid().begin(), std::min<std::size_t>(32, block.blockid().size()),
                ref.id.begin());
    return ref;
}

protocol::Account Clients::account(tron::Address const& address) {
    return call<protocol::Account>(
        [&](auto* c, auto* r) { return wallet->GetAccount(c, account_request(address), r); });
}

protocol::Account Clients::solid_account(tron::Address const& address) {
    return call<protocol::Account>(
        [&](auto* c, auto* r) { return solidity->GetAccount(c, account_request(address), r); });
}

std::int64_t Clients::btt(tron::Address const& address) {
    auto const a = account(address);
    auto const it = a.assetv2().find("1002000");
    return it == a.assetv2().end() ? 0 : it->second;
}

protocol::Return Clients::broadcast(protocol::Transaction const& transaction) {
    return call<protocol::Return>(
        [&](auto* c, auto* r) { return wallet->BroadcastTransaction(c, transaction, r); });
}

protocol::TransactionInfo Clients::info(std::string const& txid) {
    return call<protocol::TransactionInfo>([&](auto* c, auto* r) {
        return wallet->GetTransactionInfoById(c, bytes_message(txid), r);
    });
}

protocol::TransactionInfo Clients::solid_info(std::string const& txid) {
    return call<protocol::TransactionInfo>([&](auto* c, auto* r) {
        return solidity->GetTransactionInfoById(c, bytes_message(txid), r);
    });
}

std::optional<protocol::TransactionInfo> Clients::wait_for_info(std::string const& txid, bool solid,
                                                                std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto found = solid ? solid_info(txid) : info(txid);
        if (!found.id().empty()) return found;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
}

protocol::Transaction signed_transfer(tron::PrivateKey const& signer, tron::Address const& owner,
                                      tron::Address const& to, std::int64_t amount,
                                      tron::BlockReference const& ref, std::int64_t expiration_ms) {
    auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto transaction =
        tron::build_asset_transfer({owner, to, "1002000", amount}, ref, now, expiration_ms);
    tron::sign_transaction(transaction, signer);
    return transaction;
}

std::string txid_of(protocol::Transaction const& transaction) {
    auto const id = tron::transaction_id(transaction);
    return {id.begin(), id.end()};
}

Config test_config(lanetorrent::test::TempDir const& dir, Endpoints const& endpoints) {
    Config config;
    config.listen = endpoints.wallet;
    config.solidity_listen = endpoints.solidity;
    config.data_dir = dir.path() / "data";
    config.block_interval_ms = 100;
    config.solidify_after = 3;
    config.genesis.accounts = {{key(1).address().wire(), 100 * kTrx, 1'000'000'000},
                               {key(2).address().wire(), 0, 1'000'000'000}};
    return config;
}

void DevnetTest::SetUp() {
    endpoints_ = unique_endpoints();
    restart(test_config(dir_, endpoints_));
}

void DevnetTest::TearDown() {
    clients_.reset();
    node_.reset();
}

void DevnetTest::restart(Config const& config) {
    clients_.reset();
    node_.reset();
    config_ = config;
    auto node = Node::start(config_);
    ASSERT_TRUE(node.ok()) << node.error();
    node_ = std::move(node).value();
    clients_ = std::make_unique<Clients>(endpoints_);
}

}  // namespace lanetorrent::devnet::test
