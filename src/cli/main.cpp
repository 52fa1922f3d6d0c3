// lanetorrent-cli: the command-line shell over the engine. This file only declares the command
// line; each subcommand lives in its own file.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage.hpp"
#include "engine/version.hpp"
#include "wallet/secret.hpp"

namespace cli = lanetorrent::cli;

namespace {

// Rates reach libtorrent as an int of bytes per second.
constexpr std::int64_t max_rate_kib = std::numeric_limits<int>::max() / 1024;  // 2097151
constexpr std::int64_t max_int = std::numeric_limits<int>::max();
constexpr std::int64_t max_units = std::numeric_limits<std::int64_t>::max();

void add_transfer_options(CLI::App& command, cli::TransferOptions& options) {
    command.add_option("--listen", options.listen,
                       "Listen on IP:PORT only; peer connections and tracker announces leave "
                       "from the same IP (default: all interfaces, port 6881)");
    command.add_option("--peer", options.peers, "Connect to this IP:PORT peer (repeatable)");
    command.add_option("--max-up", options.max_up_kib, "Upload limit in KiB/s (0: unlimited)")
        ->check(cli::whole_number(0, max_rate_kib, "KiB/s"));
    command
        .add_option("--resume-interval", options.resume_interval,
                    "Seconds between resume-data saves while transferring")
        ->check(cli::whole_number(1, 86400, "s"));
    command
        .add_option("--progress-ms", options.progress_ms,
                    "Milliseconds between progress reports (default 1000; bench/lanes uses 100 "
                    "to time a lane's rate)")
        ->check(cli::whole_number(50, 60000, "ms"));
    command.add_flag("--json", options.json, "Print one JSON object per line");
    command.add_flag("--no-dht", options.no_dht, "Disable the DHT");
    command.add_flag("--no-lsd", options.no_lsd, "Disable local service discovery");
    command.add_flag("--no-upnp", options.no_upnp, "Disable UPnP and NAT-PMP port mapping");
    command.add_flag("--utp", options.utp,
                     "Also dial peers over uTP (incoming uTP is always accepted)");
}

void add_node_options(CLI::App& command, cli::LaneCliOptions& lanes) {
    command.add_option("--node", lanes.node,
                       "Tron full node HOST:PORT for settlements (default: the profile's node, "
                       "as the desktop app saved it, else 127.0.0.1:50051)");
    command.add_option("--solidity-node", lanes.solidity_node, "Tron solidity node HOST:PORT");
    command.add_flag("--tls", lanes.tls, "Use TLS to the node");
    command.add_option("--ca-file", lanes.ca_file,
                       "With --tls: PEM file of CAs to trust besides the system's");
    command.add_option("--asset", lanes.asset,
                       "TRC-10 token id lanes are paid in (default: the profile's, else 1002000)");
}

void add_sell_options(CLI::App& command, cli::LaneCliOptions& lanes) {
    command.add_option("--payee", lanes.payee,
                       "Sell lanes, paid to this Tron address (peers without lanes stay slow)");
    command.add_option("--price-medium", lanes.price_medium, "Medium lane price per GiB (units)")
        ->check(cli::whole_number(0, max_units, "units"));
    command.add_option("--price-fast", lanes.price_fast, "Fast lane price per GiB (units)")
        ->check(cli::whole_number(0, max_units, "units"));
    command.add_option("--lane-shares", lanes.shares,
                       "Upload shares of slow,medium,fast in permille (default 100,300,600)");
    command
        .add_option("--settle-threshold", lanes.settle_threshold,
                    "Unsettled units that trigger an on-chain settlement")
        ->check(cli::whole_number(0, max_units, "units"));
    command
        .add_option("--min-settlement", lanes.min_settlement,
                    "Smallest tail (units) settled when a buyer is done or comes back; smaller "
                    "tails are carried to the next meeting or a day (default: the threshold)")
        ->check(cli::whole_number(0, max_units, "units"));
    add_node_options(command, lanes);
}

void add_buy_options(CLI::App& command, cli::LaneCliOptions& lanes, bool with_auto = false) {
    if (with_auto) {
        command
            .add_option("--lane", lanes.lane,
                        "slow (free, default), medium, fast, or auto (buys the lane the "
                        "playback needs, within the caps)")
            ->check(CLI::IsMember({"slow", "medium", "fast", "auto"}));
    } else {
        command.add_option("--lane", lanes.lane, "slow (free, default), medium or fast")
            ->check(CLI::IsMember({"slow", "medium", "fast"}));
    }
    command.add_option("--max-price", lanes.max_price, "Pay at most this per GiB (units)")
        ->check(cli::whole_number(0, max_units, "units"));
    command
        .add_option("--max-per-torrent", lanes.max_per_torrent,
                    "Spend at most this on this torrent (units; 0: no cap)")
        ->check(cli::whole_number(0, max_units, "units"));
    command
        .add_option("--max-per-day", lanes.max_per_day,
                    "Spend at most this in 24 h on all torrents (units; 0: no cap)")
        ->check(cli::whole_number(0, max_units, "units"));
    command.add_option("--keystore", lanes.keystore,
                       "Wallet that pays (default: <profile>/keystore.json)");
    command.add_option("--passphrase-file", lanes.passphrase_file, "Read the passphrase from FILE");
    add_node_options(command, lanes);
}

}  // namespace

int main(int argc, char** argv) {
    // Before any passphrase is read or key unlocked: no core file, no same-user ptrace.
    if (auto const guarded = lanetorrent::wallet::keep_secrets_out_of_core_dumps(); !guarded) {
        fmt::print(stderr, "lanetorrent-cli: warning: {}\n", guarded.error());
    }
    CLI::App app{"LaneTorrent on the command line: create, inspect, seed and download torrents.",
                 "lanetorrent-cli"};
    app.set_version_flag("--version", std::string("lanetorrent-cli ") + lanetorrent::version);
    app.require_subcommand(1);
    std::string profile_dir;
    app.add_option("--profile", profile_dir,
                   "Keep all settings and state under DIR (default: XDG directories)");

    cli::CreateOptions create;
    auto* create_cmd = app.add_subcommand("create", "Make a .torrent from a file or directory");
    create_cmd->add_option("PATH", create.path, "File or directory to share")->required();
    create_cmd->add_option("-o,--output", create.output, "Where to write the .torrent")->required();
    create_cmd->add_option("--tracker", create.trackers, "Tracker announce URL (repeatable)");
    create_cmd->add_option("--web-seed", create.web_seeds, "Web seed URL (repeatable)");
    create_cmd->add_option("--piece-size", create.piece_size_kib,
                           "Piece size in KiB, a power of two >= 16 (default: by size)");
    create_cmd->add_flag("--private", create.is_private, "Private torrent (no DHT or PeX)");
    create_cmd->add_option("--comment", create.comment, "Comment stored in the torrent");
    create_cmd->add_option("--format", create.format, "Metadata format (default v1)")
        ->check(CLI::IsMember({"v1", "hybrid", "v2"}));

    cli::InfoOptions info;
    auto* info_cmd = app.add_subcommand("info", "Describe a .torrent file or magnet link");
    info_cmd->add_option("SOURCE", info.source, ".torrent file or magnet link")->required();
    info_cmd->add_flag("--json", info.json, "Print JSON");

    cli::TransferOptions seed;
    seed.mode = cli::TransferMode::seed;
    auto* seed_cmd = app.add_subcommand("seed", "Seed existing data until interrupted");
    seed_cmd->add_option("TORRENT", seed.sources, ".torrent file (several: all in one session)")
        ->required();
    seed_cmd->add_option("--data", seed.directory, "Directory that contains the torrents' content")
        ->required();
    seed_cmd->add_option("--seconds", seed.seconds, "Stop after N seconds")
        ->check(cli::whole_number(0, max_int, "s"));
    add_transfer_options(*seed_cmd, seed);
    add_sell_options(*seed_cmd, seed.lanes);

    cli::TransferOptions download;
    auto* download_cmd =
        app.add_subcommand("download", "Download until every piece is present and verified");
    download_cmd
        ->add_option(
            "SOURCE", download.sources,
            ".torrent file or magnet link (several: all in one session, done when all are)")
        ->required();
    download_cmd->add_option("--save", download.directory, "Directory to download into")
        ->required();
    download_cmd->add_option("--timeout", download.seconds, "Fail if not done within SECONDS")
        ->check(cli::whole_number(1, max_int, "s"));
    download_cmd
        ->add_option("--max-down", download.max_down_kib, "Download limit in KiB/s (0: unlimited)")
        ->check(cli::whole_number(0, max_rate_kib, "KiB/s"));
    download_cmd->add_flag("--keep-seeding", download.keep_seeding,
                           "Once every download has finished, seed until interrupted (exit 0)");
    add_transfer_options(*download_cmd, download);
    add_buy_options(*download_cmd, download.lanes);

    cli::TransferOptions stream;
    stream.mode = cli::TransferMode::stream;
    auto* stream_cmd = app.add_subcommand(
        "stream", "Play a file of a torrent while it downloads (serves it on 127.0.0.1)");
    stream_cmd->add_option("SOURCE", stream.sources, ".torrent file or magnet link")
        ->required()
        ->expected(1);
    stream_cmd
        ->add_option("--file", stream.stream.file_index,
                     "Index of the file to play (see `info`; default: the largest video)")
        ->check(CLI::NonNegativeNumber);
    stream.directory = ".";
    stream_cmd->add_option("--save", stream.directory,
                           "Directory to download into (default: the current one)");
    stream_cmd
        ->add_option("--play", stream.stream.play,
                     "Start a player on the stream: CMD, or mpv (else xdg-open) when none is "
                     "given")
        ->expected(0, 1)
        ->default_str("");
    stream_cmd
        ->add_option("--buffer-seconds", stream.stream.buffer_seconds,
                     "Playback time --lane auto keeps downloaded ahead of the player (default "
                     "30)")
        ->check(CLI::Range(5, 600));
    stream_cmd->add_flag("--sequential", stream.stream.sequential,
                         "Download in order instead of by deadlines (for comparisons)");
    stream_cmd->add_option("--seconds", stream.seconds, "Stop after N seconds (for scripts)")
        ->check(CLI::PositiveNumber);
    stream_cmd
        ->add_option("--max-down", stream.max_down_kib, "Download limit in KiB/s (0: unlimited)")
        ->check(CLI::NonNegativeNumber);
    add_transfer_options(*stream_cmd, stream);
    add_buy_options(*stream_cmd, stream.lanes, /*with_auto=*/true);

    cli::LanesStatusOptions lanes_status;
    auto* lanes_cmd = app.add_subcommand("lanes", "Lanes: peers, debts and payments");
    lanes_cmd->require_subcommand(1);
    auto* lanes_status_cmd =
        lanes_cmd->add_subcommand("status", "Each peer's lane, rate, debt and paid amount");
    lanes_status_cmd->add_flag("--json", lanes_status.json, "Print JSON");

    cli::DemoOptions demo;
    auto* demo_cmd = app.add_subcommand(
        "demo", "Lanes on loopback: a local devnet, one seeder and three downloaders");
    demo_cmd->add_option("--size", demo.size_mib, "Torrent size in MiB (default 64)")
        ->check(cli::whole_number(1, 4096, "MiB"));
    demo_cmd->add_flag("--json", demo.json, "Print one JSON object");
    demo_cmd
        ->add_option("--min-settlement", demo.min_settlement,
                     "Smallest tail (units) settled when a download ends (default 1 BTT; 0: the "
                     "seller default, the settle threshold, which carries every tail)")
        ->check(cli::whole_number(0, max_units, "units"));
    demo_cmd->add_option("--devnet", demo.devnet, "lanetorrent-devnet binary");

    cli::WalletOptions wallet;
    auto* wallet_cmd = app.add_subcommand("wallet", "The BTT wallet: keys, balances, payments");
    wallet_cmd->require_subcommand(1);
    wallet_cmd->add_option("--keystore", wallet.keystore,
                           "Encrypted keystore file (default: keystore.json in the profile)");
    wallet_cmd->add_option("--passphrase-file", wallet.passphrase_file,
                           "Read the passphrase from FILE (default: ask on the terminal)");
    wallet_cmd->add_option("--node", wallet.node,
                           "Tron full node HOST:PORT (default: the profile's node, as the desktop "
                           "app saved it, else 127.0.0.1:50051)");
    wallet_cmd->add_option("--solidity-node", wallet.solidity_node,
                           "Tron node HOST:PORT serving protocol.WalletSolidity");
    wallet_cmd->add_flag("--tls", wallet.tls, "Use TLS to the node");
    wallet_cmd
        ->add_option("--ca-file", wallet.ca_file,
                     "With --tls: PEM file of CAs to trust besides the system's")
        ->check(CLI::ExistingFile);
    wallet_cmd->add_option("--api-key-file", wallet.api_key_file,
                           "File holding a TRON-PRO-API-KEY");
    wallet_cmd->add_option("--asset", wallet.asset,
                           "TRC-10 token id (default: the profile's, else 1002000, BTT)");
    wallet_cmd->add_flag("--units", wallet.units,
                         "Amounts in the token's base units (send --amount, balance), not BTT");
    wallet_cmd->add_flag("--json", wallet.json, "Print JSON");
    // No group: hidden from --help. A test suite asks for it by name; nothing else should.
    wallet_cmd
        ->add_flag("--test-only-cheap-kdf", wallet.test_only_cheap_kdf,
                   "Seal at the cheapest scrypt cost (tests only)")
        ->group("");
    wallet_cmd->fallthrough();
    auto add_wallet_command = [&](char const* name, char const* help) {
        auto* sub = wallet_cmd->add_subcommand(name, help);
        sub->fallthrough();
        sub->callback([&wallet, name] { wallet.command = name; });
        return sub;
    };
    add_wallet_command("create", "Create a new key in an encrypted keystore");
    add_wallet_command("import", "Import a hex private key read from stdin");
    add_wallet_command("address", "Print the keystore's address");
    add_wallet_command("derive", "Print the address of a hex private key read from stdin");
    add_wallet_command("balance", "TRX and token balance of the keystore or ADDRESS")
        ->add_option("ADDRESS", wallet.address, "Any Tron address");
    auto* send_cmd = add_wallet_command("send", "Send tokens to an address");
    send_cmd->add_option("--to", wallet.to, "Recipient address")->required();
    send_cmd
        ->add_option("--amount", wallet.amount,
                     "Amount in BTT, decimals allowed (1.5; 0.000001 is the smallest); with "
                     "--units, in base units")
        ->required();
    send_cmd->add_flag("--dry-run", wallet.dry_run, "Build and sign, but do not broadcast");
    send_cmd->add_option("--wait", wallet.wait, "none, confirmed (default) or solidified")
        ->check(CLI::IsMember({"none", "confirmed", "solidified"}));
    add_wallet_command("history", "Transfers sent from this profile and where they stand");
    add_wallet_command("change-passphrase", "Re-encrypt the keystore under a new passphrase")
        ->add_option("--new-passphrase-file", wallet.new_passphrase_file,
                     "Read the new passphrase from FILE (default: ask twice on the terminal)");
    add_wallet_command("export", "Print the private key (asks for confirmation)")
        ->add_flag("--yes-print-private-key", wallet.confirm_export,
                   "Confirm without a prompt (for scripts)");
    add_wallet_command("sign-message", "Sign a message (TIP-191)")
        ->add_option("MESSAGE", wallet.message)
        ->required();
    auto* verify_cmd = add_wallet_command("verify-message", "Check a TIP-191 signature");
    verify_cmd->add_option("MESSAGE", wallet.message)->required();
    verify_cmd->add_option("--signature", wallet.signature, "65-byte signature in hex")->required();
    verify_cmd->add_option("--address", wallet.address, "Who claims to have signed")->required();

    try {
        app.parse(argc, argv);
    } catch (CLI::CallForHelp const& e) {
        return app.exit(e);
    } catch (CLI::CallForAllHelp const& e) {
        return app.exit(e);
    } catch (CLI::CallForVersion const& e) {
        return app.exit(e);
    } catch (CLI::ParseError const& e) {
        // A mistyped name explains the error better than what CLI11 tripped over because of it
        // ("A subcommand is required" for `downlaod`).
        if (auto hint = cli::unknown_argument_hint(app)) return cli::fail(cli::exit_usage, *hint);
        return cli::fail(cli::exit_usage, std::string(e.what()) + " (see --help)");
    }

    auto const profile = profile_dir.empty() ? lanetorrent::Profile::from_environment()
                                             : lanetorrent::Profile::in_directory(profile_dir);
    try {
        if (*create_cmd) return cli::run_create(create);
        if (*info_cmd) return cli::run_info(info);
        if (*seed_cmd) return cli::run_transfer(profile, seed);
        if (*wallet_cmd) return cli::run_wallet(profile, wallet);
        if (*lanes_cmd) return cli::run_lanes_status(profile, lanes_status);
        if (*demo_cmd) return cli::run_demo(demo);
        if (*stream_cmd) return cli::run_transfer(profile, stream);
        return cli::run_transfer(profile, download);
    } catch (std::exception const& e) {
        // A bug, not a user error, but still one sentence and a conventional exit code.
        return cli::fail(cli::exit_failure, std::string("internal error: ") + e.what());
    }
}
