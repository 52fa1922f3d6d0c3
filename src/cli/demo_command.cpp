// `demo`: lanes end to end on one machine, with nothing outside loopback. A local devnet with
// funded wallets, three seeders selling lanes on 127.0.0.2-4 (each with its own payee wallet and
// upload budget) and three downloaders (slow, medium, fast) on 127.0.0.5-7 that each pin all three
// seeders, all in this process, each with its own engine and profile. The three lanes compete at
// every seeder. Prints what each lane achieved (summed over the seeders) and paid, every payment
// channel (buyer x seeder: IOU'd, settled on chain, carried), the on-chain transfers per GiB each
// buyer made, and checks that every unit IOU'd is either settled on chain or carried below the
// seeder's minimum settlement.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "base/format.hpp"
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

// Each seeder's upload, shared by the lanes at that seeder.
constexpr std::array<int, 3> demo_upload_budgets{8 << 20, 6 << 20, 4 << 20};
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
    lanes::Lane lane = lanes::Lane::slow;  // a downloader's
    std::optional<tron::PrivateKey> key;   // a paying downloader's wallet, or a seeder's payee
    lanes::Units balance_before = 0;       // BTT on chain when the demo started
    int upload_budget = 0;                 // a seeder's
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

// The columns are headed "BTT", so the amounts go without the symbol.
std::string btt(lanes::Units units) {
    return format_amount(units, btt_decimals);
}

bool final_settlement(lanes::SettlementRecord const& record) {
    return record.status == lanes::SettlementStatus::confirmed ||
           record.status == lanes::SettlementStatus::solidified;
}

bool at_ip(std::string const& endpoint, std::string const& ip) {
    return endpoint.rfind(ip + ":", 0) == 0;
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

    // Wallets: each seeder is paid at its own payee; the medium and fast downloaders pay.
    std::vector<tron::PrivateKey> payees;
    for (std::size_t i = 0; i < demo_upload_budgets.size(); ++i) {
        payees.push_back(tron::PrivateKey::generate());
    }
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
    std::vector<std::string> devnet_args{"--listen",
                                         node_config.wallet_address,
                                         "--solidity-listen",
                                         node_config.solidity_address,
                                         "--data",
                                         (work / "devnet").string(),
                                         "--block-interval-ms",
                                         "300",
                                         "--solidify-after",
                                         "2",
                                         "--fund",
                                         funding(medium_key),
                                         "--fund",
                                         funding(fast_key)};
    for (auto const& payee : payees) {
        devnet_args.push_back("--fund");
        devnet_args.push_back(payee.address().base58() + "=1000000,0");
    }
    auto devnet =
        Devnet::start(find_devnet(options.devnet), std::move(devnet_args), work / "devnet.log");
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
    say(fmt::format("devnet on {} (blocks every 300 ms)", node_config.wallet_address));

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

    // Seeders (all seeding the same file) and downloaders.
    lanes::SellConfig sell(payees.front().address());
    // The demo settles every tail of 1 BTT or more by default, to show the chain at work.
    if (options.min_settlement > 0) sell.min_payout = options.min_settlement;
    lanes::Units const carry_below = std::min(sell.min_payout, sell.settle_threshold);
    std::vector<Node> seeders;
    for (std::size_t i = 0; i < payees.size(); ++i) {
        lanes::SellConfig config = sell;
        config.payee = payees[i].address();
        config.upload_budget = demo_upload_budgets[i];
        lanes::LaneConfig seller_config{
            .ledger_file = {}, .sell = config, .buy = {}, .node = node_config};
        auto node = start_node(fmt::format("seeder-{}", static_cast<char>('a' + i)),
                               fmt::format("127.0.0.{}", 2 + i), work, seller_config, 0);
        if (!node) return fail(exit_failure, node.error());
        node->key = payees[i];
        node->upload_budget = demo_upload_budgets[i];
        node->balance_before = balance_of(payees[i].address());
        seeders.push_back(std::move(node.value()));
    }
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
        auto node = start_node(lanes::to_string(buyers[i].lane),
                               fmt::format("127.0.0.{}", 2 + seeders.size() + i), work,
                               std::move(config), 0);
        if (!node) return fail(exit_failure, node.error());
        node->lane = buyers[i].lane;
        node->key = buyers[i].key;
        if (node->key) node->balance_before = balance_of(node->key->address());
        downloaders.push_back(std::move(node.value()));
    }

    AddTorrent seed{.source = *metadata, .save_path = content.parent_path(), .seed_only = true};
    std::int64_t total_budget = 0;
    for (auto& s : seeders) {
        auto seeded = s.engine->add(seed);
        if (!seeded) return fail(exit_failure, seeded.error());
        s.torrent = *seeded;
        total_budget += s.upload_budget;
        say(fmt::format("{} on {}:{} uploads {} MiB/s, paid at {}", s.name, s.ip, s.port,
                        s.upload_budget >> 20, s.key->address().base58()));
    }
    auto const& permille = sell.shares.permille;
    say(
        fmt::format("all seed the same {} MiB; lane shares {}/{}/{} % at each seeder; prices per "
                    "GiB: medium {} BTT, fast {} BTT; tails below {} BTT are carried",
                    options.size_mib, permille[0] / 10, permille[1] / 10, permille[2] / 10,
                    btt(sell.price_per_gib[1]), btt(sell.price_per_gib[2]), btt(carry_below)));
    for (auto& d : downloaders) {
        auto added = d.engine->add(AddTorrent{.source = *metadata, .save_path = work / d.name});
        if (!added) return fail(exit_failure, added.error());
        d.torrent = *added;
        for (auto const& s : seeders) {
            (void)d.engine->pin_peer(d.torrent, Endpoint{s.ip, static_cast<std::uint16_t>(s.port)});
        }
    }
    say(fmt::format("downloaders slow, medium, fast on {}-{} each pin all {} seeders",
                    downloaders.front().ip, downloaders.back().ip.substr(8), seeders.size()));

    // Run until every download is done and every debt settled (or carried).
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
        for (auto& s : seeders) {
            if (!s.lanes->settled_up()) return false;
        }
        for (auto& d : downloaders) {
            if (d.lanes && !d.lanes->settled_up()) return false;
        }
        return true;
    };
    // Every downloader is served by every seeder, in the lane it asked for.
    auto all_lanes_granted = [&] {
        for (auto& s : seeders) {
            auto const peers = s.lanes->peers();
            for (auto const& d : downloaders) {
                bool served = false;
                for (auto const& peer : peers) {
                    served = served || (at_ip(peer.endpoint, d.ip) && peer.lane == d.lane);
                }
                if (!served) return false;
            }
        }
        return true;
    };
    while (true) {
        for (auto& s : seeders) drive(s);
        for (auto& d : downloaders) drive(d);
        std::this_thread::sleep_for(20ms);
        auto const now = std::chrono::steady_clock::now();
        if (now > give_up) return fail(exit_failure, "the demo did not finish within 10 minutes");
        for (auto& d : downloaders) {
            if (auto p = d.engine->progress(d.torrent)) d.bytes = p->have_bytes;
        }
        // The window in which all three lanes compete at every seeder: from when the paid lanes
        // are granted everywhere to when the first download completes.
        if (!window_open) {
            if (all_lanes_granted()) {
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

    // Bytes each seeder served each downloader: closed connections are in the seeder's ledger
    // (under the payer's address, or the IP of a peer that pays nothing), open ones are live.
    auto served = [&](Node& s, Node const& d) {
        std::int64_t bytes = 0;
        for (auto const& row : s.lanes->ledger().traffic(lanes::Role::earn)) {
            if (row.peer == d.ip || (d.key && row.peer == d.key->address().base58())) {
                for (auto const b : row.bytes) bytes += b;
            }
        }
        for (auto const& peer : s.lanes->peers()) {
            if (at_ip(peer.endpoint, d.ip)) bytes += peer.uploaded;
        }
        return bytes;
    };

    // Channels: buyer x seeder, as the seeder's ledger has it (the buyer's must agree).
    struct ChannelRow {
        std::size_t buyer = 0;
        std::size_t seeder = 0;
        std::int64_t bytes = 0;
        lanes::Units iou = 0;
        lanes::Units settled = 0;
        lanes::Units buyer_iou = 0;
        lanes::Units buyer_settled = 0;
        lanes::Units carried() const { return iou - settled; }
    };
    std::vector<ChannelRow> rows;
    for (std::size_t b = 0; b < downloaders.size(); ++b) {
        auto& d = downloaders[b];
        for (std::size_t i = 0; i < seeders.size(); ++i) {
            auto& s = seeders[i];
            ChannelRow row{.buyer = b, .seeder = i, .bytes = served(s, d)};
            if (d.key) {
                lanes::ChannelKey key{.role = lanes::Role::earn,
                                      .payer = d.key->address().base58(),
                                      .payee = s.key->address().base58(),
                                      .asset = "1002000"};
                auto const earn = s.lanes->ledger().channel(key);
                key.role = lanes::Role::spend;
                auto const spend = d.lanes->ledger().channel(key);
                row.iou = earn.iou_amount;
                row.settled = earn.settled;
                row.buyer_iou = spend.iou_amount;
                row.buyer_settled = spend.settled;
            }
            rows.push_back(row);
        }
    }

    // Checks.
    std::vector<std::string> failures;
    for (auto const& row : rows) {
        auto const name =
            fmt::format("{} x {}", downloaders[row.buyer].name, seeders[row.seeder].name);
        if (row.carried() < 0 || row.carried() >= std::max<lanes::Units>(carry_below, 1)) {
            failures.push_back(fmt::format("{}: carried {} BTT is not in [0, {})", name,
                                           btt(row.carried()), btt(carry_below)));
        }
        if (row.buyer_iou != row.iou || row.buyer_settled != row.settled) {
            failures.push_back(fmt::format(
                "{}: the buyer's ledger says IOU'd {} settled {}, the seeder's {} and {}", name,
                btt(row.buyer_iou), btt(row.buyer_settled), btt(row.iou), btt(row.settled)));
        }
    }

    // Seeders: earned, settled (sum over channels and over settlement records), on-chain gain.
    struct SeederSum {
        lanes::Units earned = 0;
        lanes::Units channels_iou = 0;
        lanes::Units settled = 0;
        lanes::Units settled_records = 0;
        lanes::Units gain = 0;
        std::vector<lanes::SettlementRecord> transfers;
    };
    std::vector<SeederSum> seeder_sums(seeders.size());
    for (std::size_t i = 0; i < seeders.size(); ++i) {
        auto& s = seeders[i];
        auto& sum = seeder_sums[i];
        auto& ledger = s.lanes->ledger();
        sum.earned = ledger.total(lanes::Role::earn);
        for (auto const& row : rows) {
            if (row.seeder != i) continue;
            sum.channels_iou += row.iou;
            sum.settled += row.settled;
        }
        for (auto const& record : ledger.settlements(lanes::Role::earn)) {
            if (!final_settlement(record)) continue;
            sum.settled_records += record.to - record.from;
            sum.transfers.push_back(record);
        }
        std::reverse(sum.transfers.begin(), sum.transfers.end());  // oldest first
        sum.gain = balance_of(s.key->address()) - s.balance_before;
        if (sum.earned != sum.channels_iou) {
            failures.push_back(fmt::format("{}: earned {} BTT but its buyers' channels hold {}",
                                           s.name, btt(sum.earned), btt(sum.channels_iou)));
        }
        if (sum.settled != sum.settled_records || sum.settled != sum.gain) {
            failures.push_back(fmt::format(
                "{}: settled {} BTT on its channels, {} in its settlements, but its payee "
                "gained {} on chain",
                s.name, btt(sum.settled), btt(sum.settled_records), btt(sum.gain)));
        }
    }

    // Buyers (lanes): rate over the window summed over the seeders, IOUs, transfers per GiB.
    struct BuyerSum {
        double rate = 0;
        lanes::Units iou = 0;
        lanes::Units channels_iou = 0;
        lanes::Units settled = 0;
        lanes::Units carried = 0;
        lanes::Units spent_on_chain = 0;
        int transfers = 0;
        double transfers_per_gib = 0;
    };
    double const window_seconds =
        window_open && window_close
            ? std::chrono::duration<double>(*window_close - *window_open).count()
            : 0.0;
    std::vector<BuyerSum> buyer_sums(downloaders.size());
    double total_rate = 0;
    for (std::size_t b = 0; b < downloaders.size(); ++b) {
        auto& d = downloaders[b];
        auto& sum = buyer_sums[b];
        if (window_seconds >= 1.0) {
            sum.rate = (*d.window_end_bytes - *d.window_start_bytes) / window_seconds / (1 << 20);
        }
        total_rate += sum.rate;
        for (auto const& row : rows) {
            if (row.buyer != b) continue;
            sum.channels_iou += row.iou;
            sum.settled += row.settled;
            sum.carried += row.carried();
        }
        if (d.lanes) {
            auto& ledger = d.lanes->ledger();
            sum.iou = ledger.total(lanes::Role::spend);
            for (auto const& record : ledger.settlements(lanes::Role::spend)) {
                sum.transfers += final_settlement(record);
            }
            sum.spent_on_chain = d.balance_before - balance_of(d.key->address());
        }
        if (d.bytes > 0) {
            sum.transfers_per_gib =
                sum.transfers / (static_cast<double>(d.bytes) / lanes::bytes_per_gib);
        }
        if (sum.iou != sum.channels_iou) {
            failures.push_back(fmt::format("{}: IOU'd {} BTT in all but {} over its channels",
                                           d.name, btt(sum.iou), btt(sum.channels_iou)));
        }
        if (sum.spent_on_chain != sum.settled) {
            failures.push_back(fmt::format("{}: settled {} BTT but spent {} on chain", d.name,
                                           btt(sum.settled), btt(sum.spent_on_chain)));
        }
    }
    bool const ok = failures.empty();

    // Report: lanes.
    say("");
    say(fmt::format("{:<7} {:>8} {:>10} {:>9} {:>7} {:>13} {:>9} {:>8}", "lane", "MiB/s",
                    "configured", "achieved", "MiB", "BTT IOU'd", "transfers", "per GiB"));
    nlohmann::json lanes_json = nlohmann::json::array();
    lanes::Units paid_total = 0;
    for (std::size_t b = 0; b < downloaders.size(); ++b) {
        auto& d = downloaders[b];
        auto const& sum = buyer_sums[b];
        double const configured = permille[static_cast<int>(d.lane)] / 1000.0;
        double const achieved = total_rate > 0 ? sum.rate / total_rate : 0.0;
        paid_total += sum.iou;
        say(fmt::format("{:<7} {:>8.2f} {:>9.1f}% {:>8.1f}% {:>7.1f} {:>13} {:>9} {:>8.1f}", d.name,
                        sum.rate, configured * 100, achieved * 100, d.bytes / double(1 << 20),
                        btt(sum.iou), sum.transfers, sum.transfers_per_gib));
        nlohmann::json per_seeder = nlohmann::json::object();
        for (auto const& row : rows) {
            if (row.buyer == b) per_seeder[seeders[row.seeder].name] = row.bytes;
        }
        lanes_json.push_back({{"lane", d.name},
                              {"mib_per_s", sum.rate},
                              {"configured_share", configured},
                              {"achieved_share", achieved},
                              {"bytes", d.bytes},
                              {"bytes_by_seeder", per_seeder},
                              {"paid_units", sum.iou},
                              {"settled_units", sum.settled},
                              {"carried_units", sum.carried},
                              {"spent_on_chain_units", sum.spent_on_chain},
                              {"transfers", sum.transfers},
                              {"transfers_per_gib", sum.transfers_per_gib}});
    }
    say(fmt::format("{:<7} {:>8.2f}   of the {} MiB/s the seeders upload", "all", total_rate,
                    total_budget >> 20));
    if (window_seconds >= 1.0) {
        say(
            fmt::format("rates summed over the {} seeders, measured over the {:.1f} s all three "
                        "lanes competed at each; whole run {:.1f} s",
                        seeders.size(), window_seconds, elapsed.count()));
    } else {
        say(
            fmt::format("the three lanes competed for only {:.1f} s, too short to measure rates "
                        "(a bigger --size helps); whole run {:.1f} s",
                        window_seconds, elapsed.count()));
    }
    say("transfers: the buyer's on-chain settlements; per GiB: transfers / GiB it downloaded");

    // Report: channels.
    say("");
    say(fmt::format("{:<17} {:>8} {:>13} {:>13} {:>11}", "channel", "MiB sent", "IOU'd BTT",
                    "settled BTT", "carried"));
    nlohmann::json channels_json = nlohmann::json::array();
    for (auto const& row : rows) {
        auto const& d = downloaders[row.buyer];
        auto const& s = seeders[row.seeder];
        say(fmt::format("{:<17} {:>8.1f} {:>13} {:>13} {:>11}",
                        fmt::format("{} x {}", d.name, s.name), row.bytes / double(1 << 20),
                        btt(row.iou), btt(row.settled), btt(row.carried())));
        channels_json.push_back({{"buyer", d.name},
                                 {"seeder", s.name},
                                 {"payer", d.key ? d.key->address().base58() : ""},
                                 {"payee", s.key->address().base58()},
                                 {"bytes", row.bytes},
                                 {"iou_units", row.iou},
                                 {"settled_units", row.settled},
                                 {"carried_units", row.carried()}});
    }
    say(
        fmt::format("the slow lane is free (no wallet, no channel); carried = IOU'd - settled, "
                    "below {} BTT a tail waits for the next meeting",
                    btt(carry_below)));

    // Report: seeders.
    say("");
    say(fmt::format("{:<9} {:>6} {:>13} {:>13} {:>9} {:>13}", "seeder", "MiB/s", "earned BTT",
                    "settled BTT", "transfers", "on-chain gain"));
    nlohmann::json seeders_json = nlohmann::json::array();
    lanes::Units earned_total = 0, settled_total = 0, gain_total = 0;
    lanes::Units peak_exposure = 0, exposure_bound = 0;
    std::vector<std::string> txids;
    for (std::size_t i = 0; i < seeders.size(); ++i) {
        auto const& s = seeders[i];
        auto const& sum = seeder_sums[i];
        earned_total += sum.earned;
        settled_total += sum.settled;
        gain_total += sum.gain;
        say(fmt::format("{:<9} {:>6} {:>13} {:>13} {:>9} {:>13}", s.name, s.upload_budget >> 20,
                        btt(sum.earned), btt(sum.settled), sum.transfers.size(), btt(sum.gain)));
        // What the seller risked: its highest unpaid exposure to one payer (paid bytes' cost
        // minus what is confirmed on chain), against the bound the protocol holds it to.
        lanes::Units peak = 0, bound = 0;
        for (auto const& e : s.lanes->exposures()) {
            peak = std::max(peak, e.peak);
            bound = e.bound;
        }
        peak_exposure = std::max(peak_exposure, peak);
        exposure_bound = std::max(exposure_bound, bound);
        nlohmann::json seeder_txids = nlohmann::json::array();
        for (auto const& record : sum.transfers) {
            seeder_txids.push_back(record.txid);
            txids.push_back(record.txid);
        }
        seeders_json.push_back({{"seeder", s.name},
                                {"ip", s.ip},
                                {"payee", s.key->address().base58()},
                                {"upload_budget", s.upload_budget},
                                {"earned_units", sum.earned},
                                {"settled_units", sum.settled},
                                {"balance_gain_units", sum.gain},
                                {"peak_exposure_units", peak},
                                {"exposure_bound_units", bound},
                                {"settlements", seeder_txids}});
    }
    say(
        fmt::format("a seeder's peak exposure to one payer: {} BTT unpaid on chain (bound {} BTT: "
                    "the largest window at the fast price + the settle threshold)",
                    btt(peak_exposure), btt(exposure_bound)));
    for (std::size_t i = 0; i < seeders.size(); ++i) {
        for (auto const& record : seeder_sums[i].transfers) {
            std::string payer = record.channel.payer;
            for (auto const& d : downloaders) {
                if (d.key && d.key->address().base58() == payer) payer = d.name;
            }
            say(fmt::format("  settlement {} {} -> {} {:>10} BTT", record.txid, payer,
                            seeders[i].name, btt(record.to - record.from)));
        }
    }

    say("");
    say("checks: per channel IOU'd = settled + carried and carried < the minimum settlement, "
        "the buyer's ledger = the seeder's; per seeder settled = its payee's on-chain gain; per "
        "buyer total IOUs = sum over its channels, settled = its on-chain spend");
    for (auto const& failure : failures) say("  FAILED " + failure);
    say(ok ? fmt::format("every unit accounted for: {} BTT IOU'd = {} settled on chain in {} "
                         "transfers + {} carried",
                         btt(paid_total), btt(settled_total), txids.size(),
                         btt(paid_total - settled_total))
           : "MISMATCH: see above");
    if (json) {
        fmt::print("{}\n", nlohmann::json{{"lanes", lanes_json},
                                          {"channels", channels_json},
                                          {"seeders", seeders_json},
                                          {"paid_units", paid_total},
                                          {"earned_units", earned_total},
                                          {"settled_units", settled_total},
                                          {"carried_units", earned_total - settled_total},
                                          {"balance_gain_units", gain_total},
                                          {"min_payout_units", carry_below},
                                          {"peak_exposure_units", peak_exposure},
                                          {"exposure_bound_units", exposure_bound},
                                          {"settlements", txids},
                                          {"ok", ok},
                                          {"failures", failures},
                                          {"window_seconds", window_seconds},
                                          {"seconds", elapsed.count()}}
                               .dump());
    }
    for (auto& d : downloaders) {
        d.lanes.reset();
        d.engine->shutdown();
    }
    for (auto& s : seeders) {
        s.lanes.reset();
        s.engine->shutdown();
    }
    return ok ? exit_success : exit_failure;
}

}  // namespace lanetorrent::cli
