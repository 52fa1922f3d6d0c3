#include "devnet/node.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "tron/clock.hpp"

namespace lanetorrent::devnet {
namespace {

using tron::now_ms;

std::shared_ptr<grpc::ServerCredentials> credentials(Config const& config) {
    // Plaintext h2c by default, like java-tron's NettyServerBuilder without a TLS context.
    if (config.tls_certificate_chain.empty()) return grpc::InsecureServerCredentials();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({config.tls_private_key, config.tls_certificate_chain});
    return grpc::SslServerCredentials(options);
}

Result<std::unique_ptr<grpc::Server>> serve(std::string const& endpoint, grpc::Service& service,
                                            Config const& config) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(endpoint, credentials(config), &port);
    builder.RegisterService(&service);
    auto server = builder.BuildAndStart();
    if (!server || port == 0) {
        // gRPC logs why; a key that does not match its certificate ends here too.
        return Error{"cannot listen on " + endpoint +
                     (config.tls_certificate_chain.empty() ? ""
                                                           : " (or the TLS key and certificate "
                                                             "do not load)")};
    }
    return server;
}

}  // namespace

bool is_loopback_endpoint(std::string const& endpoint) {
    return endpoint.starts_with("127.") || endpoint.starts_with("[::1]:") ||
           endpoint.starts_with("localhost:");
}

Result<std::unique_ptr<Node>> Node::start(Config const& config) {
    std::unique_ptr<Node> node(new Node(config));
    auto chain = Chain::open(config, now_ms());
    if (!chain) return Error{chain.error()};
    node->chain_ = std::move(chain).value();
    // A wallet cannot refer to the genesis block (java-tron never reports block 0 as its head),
    // so a fresh chain was of no use until the first block slot, 3 s by default: produce block 1
    // before listening, and "listening" means ready.
    if (node->chain_->head().number == 0) {
        try {
            node->chain_->produce_block(now_ms());
        } catch (std::exception const& e) {
            return Error{std::string("cannot produce the first block: ") + e.what()};
        }
    }
    node->wallet_ = std::make_unique<WalletService>(*node->chain_);
    node->solidity_ = std::make_unique<SolidityService>(*node->chain_);
    auto wallet = serve(config.listen, *node->wallet_, config);
    if (!wallet) return Error{wallet.error()};
    node->wallet_server_ = std::move(wallet).value();
    auto solidity = serve(config.solidity_listen, *node->solidity_, config);
    if (!solidity) return Error{solidity.error()};
    node->solidity_server_ = std::move(solidity).value();
    node->producer_ = std::thread([n = node.get()] { n->produce_loop(); });
    return node;
}

Node::~Node() {
    stop();
}

void Node::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (producer_.joinable()) producer_.join();
    // gRPC's shutdown waits until every client has closed its connection, not only until the
    // calls in flight are done, so an idle client kept a stopping node alive for the whole grace
    // period (2 s, paid by every test that stops a devnet). Every call here takes milliseconds;
    // one still running after 200 ms is cancelled, which a client already handles as a node
    // that went away.
    auto const deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(200);
    if (wallet_server_) wallet_server_->Shutdown(deadline);
    if (solidity_server_) solidity_server_->Shutdown(deadline);
    wallet_server_.reset();
    solidity_server_.reset();
}

void Node::produce_loop() {
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        next += std::chrono::milliseconds(config_.block_interval_ms);
        if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
        lock.unlock();
        try {
            chain_->produce_block(now_ms());
        } catch (std::exception const& e) {
            // Keep serving reads; the next slot retries, as a real producer that missed one would.
            std::fprintf(stderr, "lanetorrent-devnet: block production failed: %s\n", e.what());
        }
        lock.lock();
        // After a stall (suspend, slow disk) do not fire a burst of catch-up blocks.
        next = std::max(next, std::chrono::steady_clock::now());
    }
}

}  // namespace lanetorrent::devnet
