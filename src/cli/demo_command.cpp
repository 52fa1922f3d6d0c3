// `demo`: lanes end to end on one machine, with nothing outside loopback. A local devnet with
// funded wallets, one seeder selling lanes on 127.0.0.2 and three downloaders (slow, medium, fast)
// on 127.0.0.3-5, all in this process, each with its own engine and profile. Prints what each lane
// achieved and paid, and checks that every unit paid reached the seeder on-chain.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "lanes/lane_service.hpp"

extern char** environ;

namespace lanetorrent::cli {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int demo_upload_budget = 8 << 20;  // the seeder's upload, shared by the lanes
constexpr lanes::Units units_per_btt = 1'000'000;

// A port the kernel says is free now (the devnet binds it a moment later).
int free_port() {
    int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// The devnet child: stopped (SIGTERM, then SIGKILL) when the demo ends, however it ends.
class Devnet {
  public:
    static Result<std::unique_ptr<Devnet>> start(fs::path const& binary,
                                                 std::vector<std::string> args, fs::path log) {
        std::vector<char*> argv{const_cast<char*>(binary.c_str())};
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        pid_t pid = 0;
        int const rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) return Error{"cannot start " + binary.string() + ": " + std::strerror(rc)};
        return std::unique_ptr<Devnet>(new Devnet(pid));
    }
    ~Devnet() {
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(100ms);
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }

  private:
    explicit Devnet(pid_t pid) : pid_(pid) {}
    pid_t pid_;
};

fs::path find_devnet(std::string const& given) {
    if (!given.empty()) return given;
    auto const self = fs::read_symlink("/proc/self/exe").parent_path();
    for (auto const& candidate :
         {self / "lanetorrent-devnet", self / "../devnet/lanetorrent-devnet"}) {
        if (fs::exists(candidate)) return fs::weakly_canonical(candidate);
    }
    return "lanetorrent-devnet";  // from PATH
}

struct Node {
    std::string name;
    std::string ip;
    int port = 0;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<lanes::LaneService> lanes;
    TorrentId torrent;
    lanes::Lane lane = lanes::Lane::slow;
    bool finished = false;
    // Bytes when the measurement window opened and closed.
    std::optional<std::int64_t> window_start_bytes;
    std::optional<std::int64_t> window_end_bytes;
    std::int64_t bytes = 0;
};

Result<Node> start_node(std::string name, std::string ip, fs::path const& dir,
                        std::optional<lanes::LaneConfig> config, int upload_limit) {
    Node node;
    node.name = std::move(name);
    node.ip = std::move(ip);
    node.port = free_port();
    EngineSettings settings;
    settings.listen_interfaces = node.ip + ":" + std::to_string(node.port);
    settings.try_next_ports = false;
    settings.make_local_only();
    settings.upload_limit = upload_limit;
    auto engine = Engine::open(Profile::in_directory(dir / node.name), settings);
    if (!engine) return Error{engine.error()};
    node.engine = std::move(engine.value());
    if (config) {
        config->ledger_file = dir / node.name / "lanes.sqlite";
        auto service = lanes::LaneService::open(*node.engine, std::move(*config));
        if (!service) return Error{service.error()};
        node.lanes = std::move(service.value());
    }
    return node;
}

std::string btt(lanes::Units units) {
    return fmt::format("{}.{:06}", units / units_per_btt, units % units_per_btt);
}

}  // namespace

int run_demo(DemoOptions const& options) {
    auto const work = fs::temp_directory_path() / fmt::format("lanetorrent-demo-{}", ::getpid());
    fs::create_directories(work);
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{work};
    bool const json = options.json;
    auto say = [&](std::string const& text) {
        if (!json) fmt::print("{}\n", text);
        std::fflush(stdout);
    };

    // Wallets: the seeder is paid; the medium and fast downloaders pay.
    auto const payee = tron::PrivateKey::generate();
    auto const medium_key = tron::PrivateKey::generate();
    auto const fast_key = tron::PrivateKey::generate();
    tron::NodeConfig node_config;
    int const wallet_port = free_port();
    int const solidity_port = free_port();
    node_config.wallet_address = fmt::format("127.0.0.1:{}", wallet_port);
    node_config.solidity_address = fmt::format("127.0.0.1:{}", solidity_port);
    auto const funding = [](tron::PrivateKey const& key) {
        return fmt::format("{}=1000000000,1000000000000",
                           key.address().base58());  // 1000 TRX, 1M BTT
    };
    auto devnet = Devnet::start(
        find_devnet(options.devnet),
        {"--listen", node_config.wallet_address, "--solidity-listen", node_config.solidity_address,
         "--data", (work / "devnet").string(), "--block-interval-ms", "300", "--solidify-after",
         "2", "--fund", funding(medium_key), "--fund", funding(fast_key), "--fund",
         payee.address().base58() + "=1000000,0"},
        work / "devnet.log");
    if (!devnet) return fail(exit_failure, devnet.error());
    tron::TronClient chain(node_config);
    auto const devnet_up = std::chrono::steady_clock::now() + 15s;
    while (!chain.head_block()) {
        if (std::chrono::steady_clock::now() > devnet_up) {
            return fail(exit_failure, "the devnet did not start (see its log)");
        }
        std::this_thread::sleep_for(200ms);
    }
    auto balance_of = [&](tron::Address const& address) -> lanes::Units {
        auto const balances = chain.balances(address);
        if (!balances || !*balances) return 0;
        auto const it = (*balances)->assets.find("1002000");
        return it == (*balances)->assets.end() ? 0 : it->second;
    };
    auto const payee_before = balance_of(payee.address());
    say(fmt::format("devnet on {} (blocks every 300 ms); seeder paid at {}",
                    node_config.wallet_address, payee.address().base58()));

    // The torrent.
    auto const content = work / "seed" / "demo.bin";
    fs::create_directories(content.parent_path());
    {
        std::ofstream out(content, std::ios::binary);
        std::mt19937_64 random(std::random_device{}());
        std::vector<std::uint64_t> block(1 << 17);
        for (int mib = 0; mib < options.size_mib; ++mib) {
            for (auto& word : block) word = random();
            out.write(reinterpret_cast<char const*>(block.data()), 1 << 20);
        }
    }
    lanetorrent::CreateOptions create;
    create.content = content;
    auto created = create_torrent(create);
    if (!created) return fail(exit_failure, created.error());
    auto metadata = load_torrent_bytes(created->bytes, "demo.torrent");
    if (!metadata) return fail(exit_failure, metadata.error());

    // Seeder and downloaders.
    lanes::SellConfig sell(payee.address());
    sell.upload_budget = demo_upload_budget;
    sell.min_payout = units_per_btt;  // the demo settles every tail it can, to show the chain
    lanes::LaneConfig seller_config{
        .ledger_file = {}, .sell = sell, .buy = {}, .node = node_config};
    auto seeder = start_node("seeder", "127.0.0.2", work, seller_config, 0);
    if (!seeder) return fail(exit_failure, seeder.error());
    std::vector<Node> downloaders;
    struct Buyer {
        lanes::Lane lane;
        std::optional<tron::PrivateKey> key;
    };
    std::vector<Buyer> const buyers{{lanes::Lane::slow, std::nullopt},
                                    {lanes::Lane::medium, medium_key},
                                    {lanes::Lane::fast, fast_key}};
    lanes::Caps const caps{
        .max_price_per_gib = 1000 * units_per_btt, .max_per_torrent = 0, .max_per_day = 0};
    for (std::size_t i = 0; i < buyers.size(); ++i) {
        std::optional<lanes::LaneConfig> config;
        if (buyers[i].key) {
            config = lanes::LaneConfig{.ledger_file = {},
                                       .sell = std::nullopt,
                                       .buy = lanes::BuyConfig{.key = *buyers[i].key,
                                                               .asset = "1002000",
                                                               .default_lane = buyers[i].lane,
                                                               .default_caps = caps},
                                       .node = node_config};
        }
        auto node = start_node(lanes::to_string(buyers[i].lane), fmt::format("127.0.0.{}", 3 + i),
                               work, std::move(config), 0);
        if (!node) return fail(exit_failure, node.error());
        node->lane = buyers[i].lane;
        downloaders.push_back(std::move(node.value()));
    }

    AddTorrent seed{.source = *metadata, .save_path = content.parent_path(), .seed_only = true};
    auto seeded = seeder->engine->add(seed);
    if (!seeded) return fail(exit_failure, seeded.error());
    seeder->torrent = *seeded;
    say(
        fmt::format("seeding {} MiB on {}:{} at {} MiB/s, lane shares 10/30/60 %, prices per GiB: "
                    "medium {} BTT, fast {} BTT",
                    options.size_mib, seeder->ip, seeder->port, demo_upload_budget >> 20,
                    btt(sell.price_per_gib[1]), btt(sell.price_per_gib[2])));
    for (auto& d : downloaders) {
        auto added = d.engine->add(AddTorrent{.source = *metadata, .save_path = work / d.name});
        if (!added) return fail(exit_failure, added.error());
        d.torrent = *added;
        (void)d.engine->pin_peer(d.torrent,
                                 Endpoint{seeder->ip, static_cast<std::uint16_t>(seeder->port)});
    }

    // Run until every download is done and every debt settled.
    auto const start = std::chrono::steady_clock::now();
    auto const give_up = start + 600s;
    std::optional<std::chrono::steady_clock::time_point> window_open, window_close;
    auto drive = [&](Node& node) {
        for (auto const& event : node.engine->poll(0ms)) {
            if (node.lanes) node.lanes->observe(event);
            if (std::holds_alternative<event::Finished>(event)) node.finished = true;
        }
        if (node.lanes) {
            node.lanes->poll();
            (void)node.lanes->take_notices();
        }
    };
    auto all_settled = [&] {
        if (!seeder->lanes->settled_up()) return false;
        for (auto& d : downloaders) {
            if (d.lanes && !d.lanes->settled_up()) return false;
        }
        return true;
    };
    while (true) {
        drive(*seeder);
        for (auto& d : downloaders) drive(d);
        std::this_thread::sleep_for(20ms);
        auto const now = std::chrono::steady_clock::now();
        if (now > give_up) return fail(exit_failure, "the demo did not finish within 10 minutes");
        for (auto& d : downloaders) {
            if (auto p = d.engine->progress(d.torrent)) d.bytes = p->have_bytes;
        }
        // The window in which all three lanes compete: from when the paid lanes are granted to
        // when the first download completes.
        if (!window_open) {
            bool granted = true;
            for (auto const& peer : seeder->lanes->peers()) {
                if (peer.address.empty()) continue;
                for (auto const& d : downloaders) {
                    if (peer.endpoint.rfind(d.ip + ":", 0) == 0 && peer.lane != d.lane)
                        granted = false;
                }
            }
            int paid_peers = 0;
            for (auto const& peer : seeder->lanes->peers())
                paid_peers += peer.lane != lanes::Lane::slow;
            if (granted && paid_peers == 2) {
                window_open = now;
                for (auto& d : downloaders) d.window_start_bytes = d.bytes;
            }
        } else if (!window_close) {
            bool any_done = false;
            for (auto& d : downloaders) any_done = any_done || d.finished;
            if (any_done) {
                window_close = now;
                for (auto& d : downloaders) d.window_end_bytes = d.bytes;
            }
        }
        bool done = true;
        for (auto& d : downloaders) done = done && d.finished;
        if (done && all_settled()) break;
    }
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);

    // Report.
    auto& seller_ledger = seeder->lanes->ledger();
    lanes::Units const earned = seller_ledger.total(lanes::Role::earn);
    lanes::Units settled = 0;
    std::vector<std::string> txids;
    for (auto const& record : seller_ledger.settlements(lanes::Role::earn)) {
        if (record.status == lanes::SettlementStatus::confirmed ||
            record.status == lanes::SettlementStatus::solidified) {
            settled += record.to - record.from;
            txids.push_back(record.txid);
        }
    }
    lanes::Units const gain = balance_of(payee.address()) - payee_before;
    double const window_seconds =
        window_open && window_close
            ? std::chrono::duration<double>(*window_close - *window_open).count()
            : 0.0;
    nlohmann::json lanes_json = nlohmann::json::array();
    lanes::Units paid_total = 0;
    say("");
    say(fmt::format("{:<7} {:>8} {:>12} {:>16}", "lane", "MiB/s", "bytes", "BTT paid"));
    for (auto& d : downloaders) {
        double rate = 0;
        if (window_seconds >= 1.0) {
            rate = (*d.window_end_bytes - *d.window_start_bytes) / window_seconds / (1 << 20);
        }
        lanes::Units const paid = d.lanes ? d.lanes->ledger().total(lanes::Role::spend) : 0;
        paid_total += paid;
        say(fmt::format("{:<7} {:>8.2f} {:>12} {:>16}", d.name, rate, d.bytes, btt(paid)));
        lanes_json.push_back(
            {{"lane", d.name}, {"mib_per_s", rate}, {"bytes", d.bytes}, {"paid_units", paid}});
    }
    bool const balanced = paid_total == earned && earned == settled && settled == gain;
    say("");
    say(fmt::format("rates measured over the {:.1f} s all three lanes competed; whole run {:.1f} s",
                    window_seconds, elapsed.count()));
    say(
        fmt::format("seeder earned {} BTT; settled on-chain {} BTT in {} transfer(s); its balance "
                    "rose by {} BTT",
                    btt(earned), btt(settled), txids.size(), btt(gain)));
    for (auto const& txid : txids) say("  settlement " + txid);
    say(balanced ? "paid = earned = settled = on-chain gain: every unit accounted for"
                 : "MISMATCH between paid, earned, settled and the on-chain gain");
    if (json) {
        fmt::print("{}\n", nlohmann::json{{"lanes", lanes_json},
                                          {"earned_units", earned},
                                          {"settled_units", settled},
                                          {"balance_gain_units", gain},
                                          {"settlements", txids},
                                          {"window_seconds", window_seconds},
                                          {"seconds", elapsed.count()}}
                               .dump());
    }
    for (auto& d : downloaders) {
        d.lanes.reset();
        d.engine->shutdown();
    }
    seeder->lanes.reset();
    seeder->engine->shutdown();
    return balanced ? exit_success : exit_failure;
}

}  // namespace lanetorrent::cli
