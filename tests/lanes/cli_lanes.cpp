#include "cli_lanes.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "cli.hpp"
#include "net.hpp"
#include "tron/bytes.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::lanes {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string split_host(std::string const& endpoint) {
    return endpoint.substr(0, endpoint.rfind(':'));
}
std::uint16_t split_port(std::string const& endpoint) {
    return static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
}

::testing::AssertionResult Devnet::start(fs::path const& dir,
                                         std::vector<std::string> const& funded) {
    auto const ip = test::unique_loopback_ip();
    node = ip + ":" + std::to_string(test::free_port(ip));
    solidity = ip + ":" + std::to_string(test::free_port(ip));
    std::vector<std::string> argv{LANETORRENT_DEVNET,
                                  "--listen",
                                  node,
                                  "--solidity-listen",
                                  solidity,
                                  "--data",
                                  (dir / "devnet").string(),
                                  "--block-interval-ms",
                                  "300",
                                  "--solidify-after",
                                  "2"};
    for (auto const& address : funded) {
        argv.push_back("--fund");
        argv.push_back(address + "=100000000,100000000000");
    }
    process = std::make_unique<test::Process>("devnet", argv, dir);
    if (!test::wait_until_listening(ip, split_port(node), 20s)) {
        return ::testing::AssertionFailure()
               << "the devnet does not listen on " << node << ": " << process->stderr_text();
    }
    return ::testing::AssertionSuccess();
}

tron::NodeConfig Devnet::config() const {
    tron::NodeConfig c;
    c.wallet_address = node;
    c.solidity_address = solidity;
    return c;
}

std::int64_t Devnet::btt(tron::Address const& address) const {
    tron::TronClient client(config());
    auto const balances = client.balances(address);
    EXPECT_TRUE(balances) << balances.failure().message;
    if (!balances || !*balances) return 0;
    auto const it = (*balances)->assets.find("1002000");
    return it == (*balances)->assets.end() ? 0 : it->second;
}

std::string create_cli_wallet(fs::path const& profile, fs::path const& passphrase_file) {
    auto const created = test::run_cli({"--profile", profile.string(), "wallet", "create",
                                        "--passphrase-file", passphrase_file.string(), "--json",
                                        "--test-only-cheap-kdf"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    if (created.exit_code != 0) return {};
    return nlohmann::json::parse(created.out)["address"].get<std::string>();
}

CliLanes::CliLanes(fs::path dir, std::string torrent, fs::path data, std::string payee,
                   tron::NodeConfig node, CliSeller seller)
    : dir_(std::move(dir)),
      torrent_(std::move(torrent)),
      data_(std::move(data)),
      payee_(std::move(payee)),
      node_(std::move(node)),
      seller_(seller) {
    auto const seed_ip = test::unique_loopback_ip();
    seed_endpoint_ = seed_ip + ":" + std::to_string(test::free_port(seed_ip));
}

int CliLanes::add_buyer(CliBuyer buyer) {
    auto const ip = test::unique_loopback_ip();
    buyers_.push_back({std::move(buyer), ip + ":" + std::to_string(test::free_port(ip))});
    return static_cast<int>(buyers_.size()) - 1;
}

std::unique_ptr<test::Process> CliLanes::seeder(int run, std::optional<int> max_up_kib) const {
    std::vector<std::string> args{"--profile",
                                  (dir_ / "seller").string(),
                                  "seed",
                                  torrent_,
                                  "--data",
                                  data_.string(),
                                  "--listen",
                                  seed_endpoint_,
                                  "--payee",
                                  payee_,
                                  "--max-up",
                                  std::to_string(max_up_kib.value_or(seller_.max_up_kib)),
                                  "--node",
                                  node_.wallet_address,
                                  "--solidity-node",
                                  node_.solidity_address,
                                  "--settle-threshold",
                                  std::to_string(seller_.settle_threshold),
                                  "--min-settlement",
                                  std::to_string(seller_.min_settlement),
                                  "--seconds",
                                  std::to_string(seller_.seconds),
                                  "--json"};
    if (seller_.resume_interval > 0) {
        args.insert(args.end(), {"--resume-interval", std::to_string(seller_.resume_interval)});
    }
    return std::make_unique<test::Process>("seeder-" + std::to_string(run), test::cli_command(args),
                                           dir_);
}

std::unique_ptr<test::Process> CliLanes::downloader(int run, int buyer) const {
    auto const& b = buyers_.at(static_cast<std::size_t>(buyer));
    // The first downloader keeps the names it had before there could be several.
    std::string const name =
        buyer == 0 ? "downloader-" : "downloader" + std::to_string(buyer + 1) + "-";
    return std::make_unique<test::Process>(
        name + std::to_string(run),
        test::cli_command({"--profile",
                           b.options.profile.string(),
                           "download",
                           torrent_,
                           "--save",
                           save_dir(buyer).string(),
                           "--listen",
                           b.endpoint,
                           "--peer",
                           seed_endpoint_,
                           "--lane",
                           b.options.lane,
                           "--max-price",
                           std::to_string(kMaxPrice),
                           "--passphrase-file",
                           b.options.passphrase_file.string(),
                           "--node",
                           node_.wallet_address,
                           "--solidity-node",
                           node_.solidity_address,
                           "--timeout",
                           std::to_string(b.options.timeout_seconds),
                           "--resume-interval",
                           "1",
                           "--json"}),
        dir_);
}

fs::path CliLanes::seller_ledger() const {
    return dir_ / "seller" / "data" / "lanes.sqlite";
}
fs::path CliLanes::buyer_ledger(int buyer) const {
    return buyers_.at(static_cast<std::size_t>(buyer)).options.profile / "data" / "lanes.sqlite";
}
fs::path CliLanes::save_dir(int buyer) const {
    return buyer == 0 ? dir_ / "save" : dir_ / ("save-" + std::to_string(buyer));
}

bool wait_for_progress(test::Process& p, double fraction, std::chrono::milliseconds timeout) {
    return p
        .wait_for_line(
            [&](std::string_view line) {
                auto const e = test::parse_event(line);
                return e && (*e)["event"] == "progress" && e->contains("progress") &&
                       (*e)["progress"].get<double>() >= fraction;
            },
            timeout)
        .has_value();
}

void expect_no_key_material(std::vector<std::pair<std::string, std::string>> const& outputs,
                            std::vector<fs::path> const& dirs, fs::path const& keystore,
                            std::string const& passphrase) {
    auto const key = wallet::Keystore::unlock(keystore, passphrase);
    ASSERT_TRUE(key) << key.error();
    auto const& secret = key->secret();
    std::string const raw(secret.begin(), secret.end());
    std::string hex = tron::to_hex(std::span<std::uint8_t const>(secret.data(), secret.size()));
    std::string upper = hex;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    std::vector<std::string> const needles{raw, hex, upper, passphrase};
    auto const contains_secret = [&](std::string const& text) {
        return std::any_of(needles.begin(), needles.end(), [&](auto const& needle) {
            return text.find(needle) != std::string::npos;
        });
    };
    for (auto const& [name, text] : outputs) {
        EXPECT_FALSE(contains_secret(text)) << "key material in the output of " << name;
    }
    int files = 0;
    for (auto const& dir : dirs) {
        for (auto const& entry : fs::recursive_directory_iterator(dir)) {
            if (!entry.is_regular_file() || fs::equivalent(entry.path(), keystore)) continue;
            if (entry.path().filename() == "passphrase") continue;  // the test's own input
            std::ifstream in(entry.path(), std::ios::binary);
            std::string const bytes((std::istreambuf_iterator<char>(in)), {});
            EXPECT_FALSE(contains_secret(bytes)) << "key material in " << entry.path();
            ++files;
        }
    }
    EXPECT_GT(files, 3);  // the ledgers, resume data and logs were really read
}

}  // namespace lanetorrent::lanes
