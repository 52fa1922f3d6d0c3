// kill -9 at 20 random moments of a paid download (issue 6, crash safety). One lanetorrent-cli
// seeder sells lanes and two CLI downloaders buy them (medium and fast), paying a real
// lanetorrent-devnet. Each round kills the seeder, a downloader or everyone right after something
// that matters (a moment in the middle of piece writes, a resume-data save, an IOU, a
// settlement), restarts it on the same profile and endpoint, and checks that no finished piece is
// fetched again and that the ledgers of both sides still agree (ledger_invariants.hpp). The seed
// of the rounds is printed; LANETORRENT_CRASH_SEED=<seed> replays them.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "cli_lanes.hpp"
#include "engine/torrent_creator.hpp"
#include "files.hpp"
#include "ledger_invariants.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t MiB = 1 << 20;
constexpr int kRounds = 20;
// Slow enough that both downloads last through every round: the fast lane gets 60 % of the
// seller's budget, the medium lane 30 %.
constexpr std::int64_t kTorrentBytes = 192 * MiB;
constexpr int kBudgetKib = 1536;
// After the last round the seller comes back (stopped cleanly) with this budget, so that the
// rest arrives in seconds.
constexpr int kFinishBudgetKib = 65536;
// Low, so that settlements come every few MiB and a round can kill right after one.
constexpr Units kSettleThreshold = 500'000;

enum class Victim { seeder, downloader_1, downloader_2, everyone };
enum class Moment { mid_transfer, resume_saved, iou, settlement };

char const* name_of(Victim victim) {
    static constexpr char const* names[] = {"seeder", "downloader 1", "downloader 2", "everyone"};
    return names[static_cast<int>(victim)];
}
char const* name_of(Moment moment) {
    static constexpr char const* names[] = {"mid-transfer", "resume_saved", "iou", "settlement"};
    return names[static_cast<int>(moment)];
}

std::uint32_t crash_seed() {
    if (char const* text = std::getenv("LANETORRENT_CRASH_SEED"); text && *text) {
        return static_cast<std::uint32_t>(std::stoul(text));
    }
    return std::random_device{}();
}

std::string in_mib(std::int64_t bytes) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << static_cast<double>(bytes) / MiB;
    return out.str();
}

// What a downloader reported done: bytes (blocks of incomplete pieces included) and complete,
// hash-checked pieces.
struct Done {
    std::int64_t bytes = -1;
    int pieces = -1;
};
Done done_of(nlohmann::json const& e) {
    return {e.value("have_bytes", std::int64_t{0}), e.value("have_pieces", 0)};
}

// The most `p` reported in its progress and checked events.
Done reported_done(test::Process const& p) {
    Done done{0, 0};
    for (auto const& e : test::parse_events(p.stdout_text())) {
        auto const name = e.value("event", "");
        if (name != "progress" && name != "checked") continue;
        done.bytes = std::max(done.bytes, done_of(e).bytes);
        done.pieces = std::max(done.pieces, done_of(e).pieces);
    }
    return done;
}

// The next `event` line `p` prints from now on (what it printed before is skipped).
std::optional<nlohmann::json> next_event(test::Process& p, std::string_view event,
                                         std::chrono::milliseconds timeout) {
    p.wait_for_line([](std::string_view) { return false; }, 0ms);
    auto const line =
        p.wait_for_line([&](std::string_view l) { return test::is_event(l, event); }, timeout);
    if (!line) return std::nullopt;
    return test::parse_event(*line);
}

// Waits for the `checked` event of a process just started: what it found on disk.
std::optional<Done> checked_done(test::Process& p) {
    auto const line =
        p.wait_for_line([](std::string_view l) { return test::is_event(l, "checked"); }, 60s);
    if (!line) return std::nullopt;
    return done_of(*test::parse_event(*line));
}

// Waits until `p` reports more than `done` bytes: the transfer goes on.
bool wait_for_done_above(test::Process& p, std::int64_t done, std::chrono::milliseconds timeout) {
    return p
        .wait_for_line(
            [&](std::string_view line) {
                auto const e = test::parse_event(line);
                return e && e->value("event", "") == "progress" &&
                       (*e)["have_bytes"].get<std::int64_t>() > done;
            },
            timeout)
        .has_value();
}

// Bytes of the pieces of `downloaded` that are complete and correct on disk, as a hash check
// finds them. A progress event's have_bytes also counts the blocks of pieces still incomplete,
// which no restart can keep; every piece the downloader had verified is among these.
std::int64_t complete_on_disk(fs::path const& downloaded, fs::path const& original) {
    constexpr std::streamsize piece = 256 << 10;
    std::ifstream want(original, std::ios::binary);
    std::ifstream have(downloaded, std::ios::binary);
    std::vector<char> a(piece);
    std::vector<char> b(piece);
    std::int64_t bytes = 0;
    while (want.read(a.data(), piece) || want.gcount() > 0) {
        auto const n = want.gcount();
        have.read(b.data(), n);
        if (have.gcount() == n &&
            std::memcmp(a.data(), b.data(), static_cast<std::size_t>(n)) == 0) {
            bytes += n;
        }
    }
    return bytes;
}

std::string tail_of(std::string const& text, std::size_t chars = 2000) {
    return text.size() <= chars ? text : "..." + text.substr(text.size() - chars);
}

struct Downloader {
    std::string name;
    std::string passphrase;
    fs::path passphrase_file;
    fs::path profile;
    std::string address;
    std::unique_ptr<test::Process> process;
    int runs = 0;
};

TEST(CrashRoundsTest, KillNineAtTwentyRandomMomentsLosesNothing) {
    auto const seed = crash_seed();
    std::cout << "[ crash    ] seed " << seed << " (replay: LANETORRENT_CRASH_SEED=" << seed << ")"
              << std::endl;
    std::mt19937 rng(seed);
    auto const pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(rng);
    };
    auto const started = Clock::now();
    test::TempDir dir("lanes-crash");

    std::array<Downloader, 2> downloaders;
    std::vector<std::string> funded;
    for (int b = 0; b < 2; ++b) {
        auto& d = downloaders[b];
        d.name = "downloader " + std::to_string(b + 1);
        d.passphrase = "crash rounds passphrase " + std::to_string(b + 1);
        d.passphrase_file = dir.subdir("secrets-" + std::to_string(b + 1)) / "passphrase";
        std::ofstream(d.passphrase_file) << d.passphrase << "\n";
        d.profile = dir.path() / ("buyer-" + std::to_string(b + 1));
        d.address = create_cli_wallet(d.profile, d.passphrase_file);
        ASSERT_FALSE(d.address.empty());
        funded.push_back(d.address);
    }
    Devnet devnet;
    ASSERT_TRUE(devnet.start(dir.path(), funded));

    auto const content = dir.subdir("seed-data");
    test::write_random_file(content / "payload.bin", kTorrentBytes, 7101);
    CreateOptions create;
    create.content = content / "payload.bin";
    create.piece_size_kib = 256;  // complete_on_disk() compares pieces of this size
    auto const created = create_torrent(create);
    ASSERT_TRUE(created) << created.error();
    auto const torrent_file = dir.path() / "payload.torrent";
    std::ofstream(torrent_file, std::ios::binary)
        .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));

    auto const payee = tron::PrivateKey::generate().address();
    CliLanes cli(dir.path(), torrent_file.string(), content, payee.base58(), devnet.config(),
                 CliSeller{.max_up_kib = kBudgetKib,
                           .settle_threshold = kSettleThreshold,
                           .seconds = 900,
                           .resume_interval = 1});
    std::vector<FollowedChannel> channels;
    for (int b = 0; b < 2; ++b) {
        auto const& d = downloaders[b];
        cli.add_buyer({d.profile, d.passphrase_file, b == 0 ? "medium" : "fast", 900});
        channels.push_back({d.name, d.address, payee.base58(), cli.buyer_ledger(b), {}});
    }

    std::vector<std::pair<std::string, std::string>> outputs;
    auto const keep_output = [&](test::Process const& p) {
        outputs.emplace_back(p.name(), p.stdout_text() + p.stderr_text());
    };
    int seeder_runs = 1;
    auto seeder = cli.seeder(seeder_runs);
    ASSERT_TRUE(checked_done(*seeder)) << seeder->stderr_text();
    for (int b = 0; b < 2; ++b) downloaders[b].process = cli.downloader(++downloaders[b].runs, b);
    // Paid traffic has begun: the seller has accepted an IOU.
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "iou"); }, 60s))
        << seeder->stderr_text() << downloaders[0].process->stderr_text()
        << downloaders[1].process->stderr_text();
    std::cout << "[ crash    ] paid transfer running after "
              << std::chrono::duration<double>(Clock::now() - started).count() << " s" << std::endl;

    int moments_seen = 0;
    for (int round = 1; round <= kRounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round) +
                     ", LANETORRENT_CRASH_SEED=" + std::to_string(seed));
        auto const round_start = Clock::now();
        auto const victim = static_cast<Victim>(pick(0, 3));
        auto const moment = static_cast<Moment>(pick(0, 3));
        auto const delay = std::chrono::milliseconds(pick(200, 2500));
        int const either = pick(0, 1);  // drawn every round, so that a seed replays its rounds
        bool const seller_dies = victim == Victim::seeder || victim == Victim::everyone;
        std::array<bool, 2> const buyer_dies{
            victim == Victim::downloader_1 || victim == Victim::everyone,
            victim == Victim::downloader_2 || victim == Victim::everyone};

        // Everyone must still be at work, or the round kills nothing that matters.
        ASSERT_TRUE(seeder->running()) << "the seeder exited: " << tail_of(seeder->stderr_text());
        for (auto& d : downloaders) {
            ASSERT_TRUE(d.process->running())
                << d.name << " exited before round " << round
                << " (finished early: lower kBudgetKib or raise kTorrentBytes): "
                << tail_of(d.process->stdout_text() + d.process->stderr_text());
        }

        // The moment.
        test::Process* watched = nullptr;
        char const* event = nullptr;
        auto timeout = 6000ms;
        switch (moment) {
            case Moment::mid_transfer:
                std::this_thread::sleep_for(delay);
                break;
            case Moment::resume_saved:
                event = "resume_saved";
                watched = victim == Victim::seeder         ? seeder.get()
                          : victim == Victim::downloader_1 ? downloaders[0].process.get()
                          : victim == Victim::downloader_2 ? downloaders[1].process.get()
                                                           : downloaders[either].process.get();
                break;
            case Moment::iou:
                event = "iou";
                watched = seeder.get();
                break;
            case Moment::settlement:
                event = "settlement";
                timeout = 15000ms;
                watched = victim == Victim::downloader_1   ? downloaders[0].process.get()
                          : victim == Victim::downloader_2 ? downloaders[1].process.get()
                                                           : seeder.get();
                break;
        }
        bool seen = true;
        if (watched) seen = next_event(*watched, event, timeout).has_value();
        moments_seen += seen ? 1 : 0;

        // kill -9, the watched process first: "right after" is about it.
        std::vector<test::Process*> victims;
        if (seller_dies) victims.push_back(seeder.get());
        for (int b = 0; b < 2; ++b) {
            if (buyer_dies[b]) victims.push_back(downloaders[b].process.get());
        }
        std::stable_partition(victims.begin(), victims.end(),
                              [&](test::Process* p) { return p == watched; });
        for (auto* p : victims) {
            EXPECT_EQ(p->kill(), 128 + SIGKILL)
                << p->name() << " had exited before the kill: " << tail_of(p->stderr_text());
            keep_output(*p);
        }

        // What a kill may have kept from the seller (ledger_invariants.hpp).
        auto const killed = Clock::now();
        std::array<Done, 2> before;
        std::array<std::int64_t, 2> on_disk{-1, -1};
        for (int b = 0; b < 2; ++b) {
            if (!buyer_dies[b]) continue;
            before[b] = reported_done(*downloaders[b].process);
            on_disk[b] = complete_on_disk(cli.save_dir(b) / "payload.bin", content / "payload.bin");
            channels[b].may_be_lost.insert(
                last_iou_seq(channels[b].buyer_ledger, channels[b].spend()));
        }
        if (seller_dies) {
            for (auto& c : channels) {
                auto const held = last_iou_seq(cli.seller_ledger(), c.earn());
                auto const issued = last_iou_seq(c.buyer_ledger, c.spend());
                for (auto seq = held + 1; seq <= issued; ++seq) c.may_be_lost.insert(seq);
            }
        }

        // The same clients again.
        if (seller_dies) seeder = cli.seeder(++seeder_runs);
        for (int b = 0; b < 2; ++b) {
            if (buyer_dies[b]) downloaders[b].process = cli.downloader(++downloaders[b].runs, b);
        }
        if (seller_dies) {
            auto const have = checked_done(*seeder);
            ASSERT_TRUE(have) << "the seeder does not start again: " << seeder->stderr_text();
            EXPECT_EQ(have->bytes, kTorrentBytes);
        }
        std::array<Done, 2> after;
        for (int b = 0; b < 2; ++b) {
            if (!buyer_dies[b]) continue;
            auto& d = downloaders[b];
            auto const have = checked_done(*d.process);
            ASSERT_TRUE(have) << d.name << " does not start again: " << d.process->stderr_text();
            after[b] = *have;
            EXPECT_GE(after[b].pieces, before[b].pieces)
                << d.name << " reported " << before[b].pieces << " complete pieces before the "
                << "kill but finds only " << after[b].pieces << " after the restart: it will "
                << "fetch finished pieces again";
            EXPECT_GE(after[b].bytes, on_disk[b])
                << d.name << " had " << on_disk[b] << " bytes of complete pieces on disk when it "
                << "was killed, but finds only " << after[b].bytes << " after the restart";
        }
        auto const restarted = Clock::now();

        // The paid transfer goes on before the next round.
        for (int b = 0; b < 2; ++b) {
            auto& d = downloaders[b];
            auto const from = buyer_dies[b] ? after[b].bytes : reported_done(*d.process).bytes;
            EXPECT_TRUE(wait_for_done_above(*d.process, from, 30s))
                << d.name << " does not download again: " << tail_of(d.process->stderr_text());
        }
        if (seller_dies) {
            // A restarted seeder dials both payers at once; they share its one spare slot, so
            // each needs a reconnect, 10 s apart (libtorrent's min_reconnect_time; a known
            // limit in docs/lanes.md): usually 12-13 s. The margin is for a loaded machine.
            EXPECT_TRUE(
                seeder->wait_for_line([](auto l) { return test::is_event(l, "iou"); }, 120s))
                << "the restarted seeder gets no IOU: " << tail_of(seeder->stderr_text());
        }

        auto const flowing = Clock::now();
        auto const views = check_ledgers(cli.seller_ledger(), channels, devnet.config(), false);
        std::ostringstream line;
        line << "[ crash    ] round " << std::setw(2) << round << "/" << kRounds << "  "
             << std::left << std::setw(12) << name_of(victim) << " after " << std::setw(19)
             << (moment == Moment::mid_transfer
                     ? std::string(name_of(moment)) + " " + std::to_string(delay.count()) + " ms"
                     : std::string(name_of(moment)))
             << std::right << (seen ? "" : " (not seen: killed at timeout)");
        for (int b = 0; b < 2; ++b) {
            if (buyer_dies[b]) {
                line << "  d" << b + 1 << " done " << in_mib(before[b].bytes) << " MiB "
                     << before[b].pieces << " pieces (on disk " << in_mib(on_disk[b]) << ") -> "
                     << in_mib(after[b].bytes) << " MiB " << after[b].pieces << " pieces";
            }
        }
        for (std::size_t b = 0; b < views.size(); ++b) {
            line << "  d" << b + 1 << " IOU buyer " << views[b].buyer.iou_amount << " #"
                 << views[b].buyer.iou_seq << " seller " << views[b].seller.iou_amount << " #"
                 << views[b].seller.iou_seq << " settled " << views[b].seller.settled;
        }
        auto const seconds = [](auto from, auto to) {
            return std::chrono::duration<double>(to - from).count();
        };
        line << "  (" << std::fixed << std::setprecision(1) << seconds(round_start, killed)
             << " + restart " << seconds(killed, restarted) << " + flowing "
             << seconds(restarted, flowing) << " = " << seconds(round_start, Clock::now()) << " s)";
        std::cout << line.str() << std::endl;
        if (HasFatalFailure()) return;
    }
    std::cout << "[ crash    ] " << moments_seen << " of " << kRounds
              << " kills came right after their moment; rounds done after "
              << std::chrono::duration<double>(Clock::now() - started).count() << " s" << std::endl;

    // The end: the seeder stopped cleanly and back with a budget that lets both finish.
    seeder->signal(SIGTERM);
    EXPECT_EQ(seeder->wait_for(20s), 0) << tail_of(seeder->stderr_text());
    keep_output(*seeder);
    seeder = cli.seeder(++seeder_runs, kFinishBudgetKib);
    for (int b = 0; b < 2; ++b) {
        auto& d = downloaders[b];
        auto const code = d.process->wait_for(120s);
        ASSERT_EQ(code, 0) << d.name << ": " << tail_of(d.process->stderr_text());
        keep_output(*d.process);
        EXPECT_TRUE(test::files_identical(content / "payload.bin", cli.save_dir(b) / "payload.bin"))
            << d.name;
    }

    // The seller broadcasts and follows the last settlements; wait until both sides have counted
    // the same ones and nothing is open.
    auto const deadline = Clock::now() + 40s;
    while (Clock::now() < deadline) {
        auto const seller = Ledger::open(cli.seller_ledger());
        ASSERT_TRUE(seller) << seller.error();
        bool met = true;
        for (auto const& c : channels) {
            auto const buyer = Ledger::open(c.buyer_ledger);
            ASSERT_TRUE(buyer) << buyer.error();
            met = met &&
                  (*seller)->channel(c.earn()).settled == (*buyer)->channel(c.spend()).settled &&
                  !(*seller)->open_settlement(c.earn());
        }
        if (met) break;
        std::this_thread::sleep_for(250ms);
    }
    seeder->signal(SIGTERM);
    EXPECT_EQ(seeder->wait_for(20s), 0) << tail_of(seeder->stderr_text());
    keep_output(*seeder);

    auto const views = check_ledgers(cli.seller_ledger(), channels, devnet.config(), true);
    ASSERT_EQ(views.size(), 2u);
    Units settled = 0;
    for (std::size_t b = 0; b < views.size(); ++b) {
        auto const& v = views[b];
        EXPECT_GT(v.buyer.iou_amount, 0) << downloaders[b].name;
        EXPECT_GT(v.seller.settled, 0) << downloaders[b].name;
        settled += v.seller.settled;
        std::cout << "[ crash    ] " << downloaders[b].name << " (" << downloaders[b].runs
                  << " runs): IOU " << v.buyer.iou_amount << " (seq " << v.buyer.iou_seq
                  << "), seller holds " << v.seller.iou_amount << " (seq " << v.seller.iou_seq
                  << "), settled " << v.seller.settled << ", " << channels[b].may_be_lost.size()
                  << " IOU seqs a kill may have taken" << std::endl;
    }
    EXPECT_EQ(devnet.btt(payee), settled) << "the payee's balance is not what the seller settled";

    for (auto const& d : downloaders) {
        expect_no_key_material(
            outputs, {dir.path() / "seller", downloaders[0].profile, downloaders[1].profile},
            d.profile / "data" / "keystore.json", d.passphrase);
    }
    std::cout << "[ crash    ] " << kRounds << " rounds, " << seeder_runs << " seeder runs, "
              << std::chrono::duration<double>(Clock::now() - started).count() << " s in all"
              << std::endl;
}

}  // namespace
}  // namespace lanetorrent::lanes
