// A running devnet: the chain, a block producer on a timer thread, and the two gRPC servers.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <grpcpp/server.h>

#include "base/result.hpp"
#include "devnet/chain.hpp"
#include "devnet/config.hpp"
#include "devnet/services.hpp"

namespace lanetorrent::devnet {

class Node {
  public:
    static Result<std::unique_ptr<Node>> start(Config const& config);
    ~Node();
    Node(Node const&) = delete;
    Node& operator=(Node const&) = delete;

    // Stops producing, then lets in-flight calls finish. Idempotent.
    void stop();
    Chain& chain() { return *chain_; }

  private:
    explicit Node(Config const& config) : config_(config) {}
    void produce_loop();

    Config config_;
    std::unique_ptr<Chain> chain_;
    std::unique_ptr<WalletService> wallet_;
    std::unique_ptr<SolidityService> solidity_;
    std::unique_ptr<grpc::Server> wallet_server_;
    std::unique_ptr<grpc::Server> solidity_server_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread producer_;
};

// True for 127.0.0.0/8, [::1] and localhost, with a port.
bool is_loopback_endpoint(std::string const& endpoint);

}  // namespace lanetorrent::devnet
