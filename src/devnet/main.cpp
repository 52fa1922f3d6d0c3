// lanetorrent-devnet: a local Tron-compatible full node for tests and for trying the wallet
// without real money.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "devnet/config.hpp"
#include "devnet/node.hpp"

using namespace lanetorrent::devnet;

int main(int argc, char** argv) {
    CLI::App app{"lanetorrent-devnet: a local Tron-compatible node (Wallet + WalletSolidity gRPC)"};
    Config config;
    std::vector<std::string> funds;
    std::string genesis_file;
    std::string demo_file;
    bool allow_remote = false;
    bool test_hooks = false;
    std::string tls_cert_file;
    std::string tls_key_file;
    app.add_option("--listen", config.listen, "Wallet gRPC endpoint IP:PORT")
        ->capture_default_str();
    app.add_option("--solidity-listen", config.solidity_listen,
                   "WalletSolidity gRPC endpoint IP:PORT")
        ->capture_default_str();
    app.add_option("--data", config.data_dir, "State directory (SQLite)")->capture_default_str();
    app.add_option("--block-interval-ms", config.block_interval_ms, "Block interval")
        ->capture_default_str()
        ->check(CLI::Range(10, 600'000));
    app.add_option("--solidify-after", config.solidify_after,
                   "Blocks until a block counts as solidified")
        ->capture_default_str()
        ->check(CLI::Range(0, 100'000));
    app.add_option("--fund", funds, "Genesis balance ADDRESS=TRX_SUN,BTT_UNITS (repeatable)");
    app.add_option("--genesis", genesis_file, "Genesis JSON (as written by --genesis-demo)");
    app.add_option("--genesis-demo", demo_file, "Write a genesis with demo keys to FILE and exit");
    app.add_option("--memo-fee", config.parameters.memo_fee, "getMemoFee in sun")
        ->capture_default_str();
    auto* tls_cert = app.add_option("--tls-cert", tls_cert_file,
                                    "Serve TLS with this PEM certificate chain (with --tls-key)")
                         ->check(CLI::ExistingFile);
    auto* tls_key = app.add_option("--tls-key", tls_key_file, "PEM private key for --tls-cert")
                        ->check(CLI::ExistingFile);
    tls_cert->needs(tls_key);
    tls_key->needs(tls_cert);
    app.add_flag("--allow-remote", allow_remote, "Allow listening on non-loopback addresses");
    app.add_flag("--test-hooks", test_hooks,
                 "For tests: SIGUSR1 drops the newest unsolidified block and its transactions, "
                 "as a fork would");
    CLI11_PARSE(app, argc, argv);

    if (!demo_file.empty()) {
        auto const genesis = demo_genesis(3);
        if (auto status = write_genesis(demo_file, genesis); !status) {
            std::fprintf(stderr, "lanetorrent-devnet: %s\n", status.error().c_str());
            return 1;
        }
        std::printf("wrote %s with %zu demo accounts (their private keys are in the file)\n",
                    demo_file.c_str(), genesis.accounts.size());
        return 0;
    }
    if (!genesis_file.empty()) {
        auto genesis = read_genesis(genesis_file);
        if (!genesis) {
            std::fprintf(stderr, "lanetorrent-devnet: %s\n", genesis.error().c_str());
            return 1;
        }
        config.genesis = std::move(genesis).value();
    }
    for (auto const& fund : funds) {
        auto account = parse_fund(fund);
        if (!account) {
            std::fprintf(stderr, "lanetorrent-devnet: --fund: %s\n", account.error().c_str());
            return 1;
        }
        config.genesis.accounts.push_back(std::move(account).value());
    }
    if (!tls_cert_file.empty()) {
        for (auto [file, pem] : {std::pair{&tls_cert_file, &config.tls_certificate_chain},
                                 std::pair{&tls_key_file, &config.tls_private_key}}) {
            std::ifstream in(*file);
            *pem = std::string(std::istreambuf_iterator<char>(in), {});
            if (!in.good() && !in.eof()) {
                std::fprintf(stderr, "lanetorrent-devnet: cannot read %s\n", file->c_str());
                return 1;
            }
        }
    }
    // A devnet has no authentication; exposing it is a deliberate choice, never a default.
    if (!allow_remote &&
        (!is_loopback_endpoint(config.listen) || !is_loopback_endpoint(config.solidity_listen))) {
        std::fprintf(stderr,
                     "lanetorrent-devnet: refusing a non-loopback address without "
                     "--allow-remote\n");
        return 1;
    }

    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    if (test_hooks) sigaddset(&stop_signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto node = Node::start(config);
    if (!node) {
        std::fprintf(stderr, "lanetorrent-devnet: %s\n", node.error().c_str());
        return 1;
    }
    auto const head = node.value()->chain().head();
    std::printf("lanetorrent-devnet listening%s: Wallet %s, WalletSolidity %s, head block %lld\n",
                tls_cert_file.empty() ? "" : " (TLS)", config.listen.c_str(),
                config.solidity_listen.c_str(), static_cast<long long>(head.number));
    std::fflush(stdout);

    int signal_number = 0;
    while (sigwait(&stop_signals, &signal_number) == 0 && signal_number == SIGUSR1) {
        // One line per request, so a test can wait for it.
        if (auto dropped = node.value()->chain().drop_head_block()) {
            std::printf("test hook: dropped block %lld\n", static_cast<long long>(*dropped));
        } else {
            std::printf("test hook: cannot drop a block: %s\n", dropped.error().c_str());
        }
        std::fflush(stdout);
    }
    node.value()->stop();
    std::printf("lanetorrent-devnet stopped (signal %d)\n", signal_number);
    return 0;
}
