// Devnet throughput: how many signed TRC-10 transfers per second lanetorrent-devnet accepts over
// gRPC from one client (the issue's target: >= 2,000 transfers/s on 2 cores, Tron's headline).
//
// Starts the devnet as a child process on 127.0.0.x with a temporary --data directory, funds one
// sender, pre-builds and signs 2 x N transfers (timed separately: signing is not part of the node's
// throughput), then times BroadcastTransaction (a) sequentially on one blocking stub and (b) from K
// threads sharing one channel. Afterwards it waits for two blocks and checks with GetAccount that
// the recipients' BTT balances add up to the number of accepted transfers. The devnet is always
// killed and the temporary directory removed.
//
//   build/bench/lanetorrent-bench-devnet [--transfers N] [--threads K] [--recipients R]
//                                        [--block-interval-ms MS] [--devnet PATH]
//                                        [--data-parent DIR]   (default /tmp; /dev/shm: no fsync)
//                                        [--rate R]  (phase b paced at R transfers/s: where the
//                                                     node starts answering SERVER_BUSY)
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/api.grpc.pb.h"
#include "tron/address.hpp"
#include "tron/client.hpp"
#include "tron/keys.hpp"
#include "tron/transaction.hpp"

#ifndef LANETORRENT_DEVNET_PATH
#define LANETORRENT_DEVNET_PATH "lanetorrent-devnet"
#endif

namespace {

using namespace lanetorrent::tron;
using Clock = std::chrono::steady_clock;

constexpr char const* kAssetId = "1002000";
constexpr std::int64_t kFund = 1'000'000'000'000'000;  // 10^15 sun TRX and 10^15 BTT units

struct Options {
    int transfers = 5000;
    int threads = 8;
    int recipients = 100;
    int block_interval_ms = 1000;
    double rate = 0;  // transfers/s in phase (b); 0: as fast as the threads go
    std::string devnet = LANETORRENT_DEVNET_PATH;
    std::string data_parent = "/tmp";  // /dev/shm (tmpfs) takes fsync out of the picture
};

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string const arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--transfers") {
            options.transfers = std::stoi(next());
        } else if (arg == "--threads") {
            options.threads = std::stoi(next());
        } else if (arg == "--recipients") {
            options.recipients = std::stoi(next());
        } else if (arg == "--block-interval-ms") {
            options.block_interval_ms = std::stoi(next());
        } else if (arg == "--devnet") {
            options.devnet = next();
        } else if (arg == "--rate") {
            options.rate = std::stod(next());
        } else if (arg == "--data-parent") {
            options.data_parent = next();
        } else {
            throw std::runtime_error("unknown option " + arg +
                                     " (--transfers N --threads K --recipients R "
                                     "--block-interval-ms MS --devnet PATH --data-parent DIR "
                                     "--rate R)");
        }
    }
    if (options.transfers <= 0 || options.threads <= 0 || options.recipients <= 0) {
        throw std::runtime_error("--transfers, --threads and --recipients must be positive");
    }
    return options;
}

// The devnet child: killed (SIGTERM, then SIGKILL) and its data directory removed on every exit
// path out of main, exceptions included.
class Devnet {
  public:
    Devnet(Options const& options, std::string const& listen, std::string const& solidity,
           Address const& funded) {
        std::string pattern = options.data_parent + "/lanetorrent-bench-devnet-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp in " + options.data_parent + " failed");
        }
        data_ = pattern;
        std::vector<std::string> args = {
            options.devnet,
            "--listen",
            listen,
            "--solidity-listen",
            solidity,
            "--data",
            data_,
            "--block-interval-ms",
            std::to_string(options.block_interval_ms),
            "--fund",
            funded.base58() + "=" + std::to_string(kFund) + "," + std::to_string(kFund)};
        std::string const log = data_ + "/devnet.log";
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            if (auto* out = std::freopen(log.c_str(), "w", stdout)) {
                ::dup2(::fileno(out), STDERR_FILENO);
            }
            std::vector<char*> argv;
            for (auto& arg : args) argv.push_back(arg.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            std::perror("execv");
            ::_exit(127);
        }
    }
    ~Devnet() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            bool exited = false;
            for (int i = 0; i < 50 && !exited; ++i) {
                exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
                if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (!exited) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
        }
        std::error_code ignored;
        std::filesystem::remove_all(data_, ignored);
    }
    Devnet(Devnet const&) = delete;
    Devnet& operator=(Devnet const&) = delete;

    bool alive() const { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }
    std::string const& data() const { return data_; }

  private:
    pid_t pid_ = -1;
    std::string data_;
};

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Tally {
    std::int64_t accepted = 0;
    std::map<std::string, std::int64_t> rejected;  // code name (or gRPC status) -> count
    double seconds = 0;
};

// One BroadcastTransaction; returns "" for SUCCESS, else the code's (or the gRPC status's) name.
std::string broadcast_once(protocol::Wallet::Stub& stub, protocol::Transaction const& tx) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    protocol::Return ret;
    auto const status = stub.BroadcastTransaction(&context, tx, &ret);
    if (!status.ok()) return "grpc:" + std::to_string(static_cast<int>(status.error_code()));
    if (ret.result() && ret.code() == protocol::Return::SUCCESS) return {};
    return protocol::Return::response_code_Name(ret.code());
}

void record(Tally& tally, std::string const& outcome) {
    if (outcome.empty()) {
        ++tally.accepted;
    } else {
        ++tally.rejected[outcome];
    }
}

Tally run_sequential(std::shared_ptr<grpc::Channel> const& channel,
                     std::vector<protocol::Transaction> const& txs) {
    auto stub = protocol::Wallet::NewStub(channel);
    Tally tally;
    auto const start = Clock::now();
    for (auto const& tx : txs) record(tally, broadcast_once(*stub, tx));
    tally.seconds = seconds_since(start);
    return tally;
}

Tally run_concurrent(std::shared_ptr<grpc::Channel> const& channel,
                     std::vector<protocol::Transaction> const& txs, int threads, double rate) {
    std::vector<Tally> tallies(static_cast<std::size_t>(threads));
    std::atomic<std::size_t> next{0};
    auto const start = Clock::now();
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                auto stub = protocol::Wallet::NewStub(channel);
                auto& mine = tallies[static_cast<std::size_t>(t)];
                for (std::size_t i = next++; i < txs.size(); i = next++) {
                    if (rate > 0) {
                        std::this_thread::sleep_until(
                            start +
                            std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(static_cast<double>(i) / rate)));
                    }
                    record(mine, broadcast_once(*stub, txs[i]));
                }
            });
        }
    }
    Tally total;
    total.seconds = seconds_since(start);
    for (auto const& tally : tallies) {
        total.accepted += tally.accepted;
        for (auto const& [code, count] : tally.rejected) total.rejected[code] += count;
    }
    return total;
}

BlockReference wait_for_head(TronClient& client, std::int64_t after, Devnet const& devnet) {
    auto const give_up = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < give_up) {
        if (!devnet.alive()) throw std::runtime_error("the devnet exited; see its log");
        auto head = client.head_block();
        if (head && head->number > after) return head.value();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("no block after #" + std::to_string(after) + " within 30 s");
}

// Waits until the pending pool has been produced into a block: two new blocks after `from`.
BlockReference settle(TronClient& client, Devnet const& devnet) {
    auto const head = wait_for_head(client, -1, devnet);
    return wait_for_head(client, wait_for_head(client, head.number, devnet).number, devnet);
}

std::string rejected_text(Tally const& tally) {
    std::string text;
    for (auto const& [code, count] : tally.rejected) {
        if (!text.empty()) text += ", ";
        text += code + " x" + std::to_string(count);
    }
    return text.empty() ? "-" : text;
}

int run(Options const& options) {
    // 127.0.0.x with x from the pid, so concurrent runs on one machine do not collide.
    std::string const host = "127.0.0." + std::to_string(2 + ::getpid() % 250);
    std::string const listen = host + ":50051";
    std::string const solidity = host + ":50061";

    auto const sender = PrivateKey::generate();
    auto const from = sender.address();
    std::vector<Address> recipients;
    for (int i = 0; i < options.recipients; ++i) {
        recipients.push_back(PrivateKey::generate().address());
    }

    Devnet devnet(options, listen, solidity, from);
    NodeConfig config;
    config.wallet_address = listen;
    config.solidity_address = solidity;
    config.deadline = std::chrono::milliseconds(2000);
    // One attempt per call: the figures count what the node answers, not our retries. The
    // client's own retries are what notice the node coming up, so the wait for it keeps them.
    config.attempts = 1;
    TronClient client(config);
    NodeConfig probe_config = config;
    probe_config.attempts = NodeConfig{}.attempts;
    TronClient probe(probe_config);

    auto const started = Clock::now();
    auto const ref = wait_for_head(probe, -1, devnet);
    std::printf("devnet %s up on %s after %.2f s (head #%lld, data %s)\n", options.devnet.c_str(),
                listen.c_str(), seconds_since(started), static_cast<long long>(ref.number),
                devnet.data().c_str());

    // Pre-build and sign 2 x N transfers (N per phase). Distinct timestamps keep the txids unique;
    // the expiration (head + 10 min) outlasts both phases.
    std::size_t const total = 2 * static_cast<std::size_t>(options.transfers);
    std::vector<protocol::Transaction> txs(total);
    std::int64_t const base_ms = now_ms();
    auto const sign_start = Clock::now();
    for (std::size_t i = 0; i < total; ++i) {
        AssetTransfer transfer{from, recipients[i % recipients.size()], kAssetId, 1};
        txs[i] =
            build_asset_transfer(transfer, ref, base_ms + static_cast<std::int64_t>(i), 600'000);
        sign_transaction(txs[i], sender);
    }
    double const sign_seconds = seconds_since(sign_start);
    std::printf("built+signed %zu transfers in %.3f s: %.0f/s on one core (excluded below)\n",
                total, sign_seconds, static_cast<double>(total) / sign_seconds);

    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(-1);
    auto const channel =
        grpc::CreateCustomChannel(listen, grpc::InsecureChannelCredentials(), arguments);

    auto const mid = txs.begin() + options.transfers;
    std::vector<protocol::Transaction> const first(txs.begin(), mid);
    std::vector<protocol::Transaction> const second(mid, txs.end());

    auto const sequential = run_sequential(channel, first);
    settle(client, devnet);  // empty the pending pool (max 2000) before the next phase
    auto const concurrent = run_concurrent(channel, second, options.threads, options.rate);
    settle(client, devnet);

    std::int64_t received = 0;
    int missing = 0;
    for (auto const& recipient : recipients) {
        auto balances = client.balances(recipient);
        if (!balances) throw std::runtime_error("GetAccount: " + balances.error());
        if (!*balances) {
            ++missing;
            continue;
        }
        auto const it = (*balances)->assets.find(kAssetId);
        if (it != (*balances)->assets.end()) received += it->second;
    }
    auto sender_balances = client.balances(from);

    std::printf("\n%-26s %8s %9s %9s %10s  %s\n", "phase", "sent", "accepted", "seconds",
                "accepted/s", "rejected (code x count)");
    auto row = [&](std::string const& name, Tally const& tally, std::size_t sent) {
        std::printf("%-26s %8zu %9lld %9.3f %10.0f  %s\n", name.c_str(), sent,
                    static_cast<long long>(tally.accepted), tally.seconds,
                    static_cast<double>(tally.accepted) / tally.seconds,
                    rejected_text(tally).c_str());
    };
    row("(a) sequential, 1 stub", sequential, first.size());
    row("(b) " + std::to_string(options.threads) + " threads, 1 channel" +
            (options.rate > 0 ? ", " + std::to_string(static_cast<int>(options.rate)) + "/s" : ""),
        concurrent, second.size());
    std::printf("%-26s %8zu %9s %9.3f %10.0f\n", "(signing, client side)", total, "-", sign_seconds,
                static_cast<double>(total) / sign_seconds);

    std::int64_t const accepted = sequential.accepted + concurrent.accepted;
    bool const match = received == accepted;
    std::printf("\nrecipients' BTT sum %lld vs accepted %lld: %s (%d of %d recipients not found)\n",
                static_cast<long long>(received), static_cast<long long>(accepted),
                match ? "MATCH" : "MISMATCH", missing, options.recipients);
    if (sender_balances && *sender_balances) {
        auto const it = (*sender_balances)->assets.find(kAssetId);
        std::printf("sender: TRX spent %lld sun, BTT spent %lld units\n",
                    static_cast<long long>(kFund - (*sender_balances)->trx_sun),
                    static_cast<long long>(
                        it == (*sender_balances)->assets.end() ? -1 : kFund - it->second));
    }
    return match ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (std::exception const& e) {
        std::fprintf(stderr, "lanetorrent-bench-devnet: %s\n", e.what());
        return 2;
    }
}
