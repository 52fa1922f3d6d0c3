#include "engine/engine.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/error_code.hpp>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/peer_info.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/session_stats.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>
#include <set>

#include "base/atomic_file.hpp"
#include "engine/disk_fault.hpp"
#include "engine/handshake_bounds.hpp"
#include "engine/pinned_peers.hpp"
#include "engine/seed_marking.hpp"
#include "engine/torrent_source.hpp"

namespace lanetorrent {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Engine::Torrent {
    TorrentId id;
    lt::torrent_handle handle;
    std::unique_ptr<TorrentLock> lock;
    bool seed_only = false;
    bool metadata_saved = false;  // the profile has its .torrent
    // libtorrent reports a torrent finished when every piece has passed its hash check, which can
    // be before the last verified blocks leave its write queue. Finished is announced once a
    // resume-data save with flush_disk_cache has answered, so a consumer can open the file.
    bool finish_pending = false;
    int saves_in_flight = 0;  // resume-data requests not yet answered
    bool last_save_failed = false;
    // A disk error the user can fix; retried at `disk_retry_at`, backing off while it persists.
    DiskFault disk_fault = DiskFault::none;
    Clock::time_point disk_retry_at{};
    std::chrono::seconds disk_retry_delay{0};
    Clock::time_point disk_resumed_at{};
    PinnedPeers pinned_peers;
    // libtorrent applies file priorities on its disk thread and reports the old ones until that
    // job returns. The priorities last asked for are what the user sees meanwhile (and after).
    std::vector<lt::download_priority_t> requested_priorities;
    // Streaming: PieceFinished events wanted, and the pieces we gave deadlines that have not
    // passed or been cleared yet, with their priority (it must survive a file-priority change).
    bool streaming = false;
    std::map<int, int> deadline_pieces;
    // Passed their hash check but not all written yet: libtorrent 2.0.8 posts
    // piece_finished_alert when the hash passes (torrent::piece_passed -> we_have), and the last
    // blocks may still wait in the disk queue; a server that read the file then served zeros
    // (stream_cli_tests ServesTheFileWhileItDownloads, about 1 run in 8). PieceFinished waits
    // for have_piece(), which is true once every block is written.
    std::vector<int> unwritten;
};

char const* to_string(TorrentState state) {
    switch (state) {
        case TorrentState::checking:
            return "checking";
        case TorrentState::downloading_metadata:
            return "downloading_metadata";
        case TorrentState::downloading:
            return "downloading";
        case TorrentState::seeding:
            return "seeding";
        case TorrentState::paused:
            return "paused";
        case TorrentState::error:
            return "error";
    }
    return "unknown";
}

namespace {

constexpr std::size_t max_session_state_bytes = 16 * 1024 * 1024;
constexpr auto pinned_peer_retry = 3s;
constexpr auto pinned_peer_recount = 60s;
constexpr std::chrono::seconds max_disk_retry_delay = 5min;

lt::download_priority_t to_native_priority(int priority) {
    return lt::download_priority_t(static_cast<std::uint8_t>(std::clamp(priority, 0, 7)));
}

// libtorrent puts LAN and loopback peers in a "local" class that no rate limit binds. A limit the
// user sets should hold for every peer (and loopback tests depend on it), so every address maps to
// the global class only. Must be set before peers connect: classes are fixed per connection.
lt::ip_filter everyone_in_global_class() {
    lt::ip_filter filter;
    auto const global = 1u << static_cast<std::uint32_t>(lt::session::global_peer_class_id);
    filter.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"), global);
    filter.add_rule(lt::make_address("::"),
                    lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), global);
    return filter;
}

std::string endpoint_text(lt::tcp::endpoint const& endpoint) {
    return Endpoint{endpoint.address().to_string(), endpoint.port()}.to_string();
}

// "cannot write /x/y: No space left on device" reads better than libtorrent's "file_write".
std::string file_error_text(lt::operation_t op, std::string const& file, lt::error_code const& ec) {
    using lt::operation_t;
    char const* verb = "cannot access";
    switch (op) {
        case operation_t::file_write:
        case operation_t::partfile_write:
            verb = "cannot write";
            break;
        case operation_t::file_read:
        case operation_t::partfile_read:
            verb = "cannot read";
            break;
        case operation_t::file_open:
        case operation_t::partfile_move:
            verb = "cannot open";
            break;
        case operation_t::mkdir:
            verb = "cannot create directory for";
            break;
        case operation_t::file_rename:
            verb = "cannot rename";
            break;
        case operation_t::file_remove:
            verb = "cannot remove";
            break;
        default:
            break;
    }
    return std::string(verb) + " " + file + ": " + ec.message();
}

TorrentState state_of(lt::torrent_status const& status) {
    if (status.errc) return TorrentState::error;
    if (status.flags & lt::torrent_flags::paused) return TorrentState::paused;
    switch (status.state) {
        case lt::torrent_status::checking_files:
        case lt::torrent_status::checking_resume_data:
            return TorrentState::checking;
        case lt::torrent_status::downloading_metadata:
            return TorrentState::downloading_metadata;
        case lt::torrent_status::finished:
        case lt::torrent_status::seeding:
            return TorrentState::seeding;
        default:
            return TorrentState::downloading;
    }
}

TorrentProgress progress_of(TorrentId const& id, lt::torrent_status const& status) {
    TorrentProgress p;
    p.id = id;
    p.name = status.name;
    p.state = state_of(status);
    p.progress = status.progress;
    p.have_bytes = status.total_wanted_done;
    p.total_bytes = status.has_metadata ? status.total_wanted : 0;
    p.have_pieces = status.num_pieces;
    p.download_rate = status.download_payload_rate;
    p.upload_rate = status.upload_payload_rate;
    p.downloaded = status.total_payload_download;
    p.uploaded = status.total_payload_upload;
    p.peers = status.num_peers;
    p.seeds = status.num_seeds;
    if (p.download_rate > 0 && p.total_bytes > p.have_bytes) {
        p.eta_seconds = (p.total_bytes - p.have_bytes) / p.download_rate;
    } else if (p.total_bytes > 0 && p.have_bytes == p.total_bytes) {
        p.eta_seconds = 0;
    }
    return p;
}

lt::torrent_flags_t discovery_flags(EngineSettings const& settings) {
    lt::torrent_flags_t flags{};
    if (!settings.dht) flags |= lt::torrent_flags::disable_dht;
    if (!settings.lsd) flags |= lt::torrent_flags::disable_lsd;
    if (!settings.pex) flags |= lt::torrent_flags::disable_pex;
    return flags;
}

// Each open torrent holds its lock file open, and libtorrent its data files and sockets: 1,000
// seeds need ~1,250 descriptors (measured by bench/soak), past the usual soft limit of 1,024. The
// hard limit is ours to take (qBittorrent raises it at start too).
void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::open(Profile profile, EngineSettings settings) {
    if (auto status = profile.create_directories(); !status) return Error{status.error()};
    raise_open_file_limit();

    lt::session_params params;
    // Only the DHT routing table is restored from the saved state: settings always come from
    // EngineSettings, so an old state file can never override what the user configured now.
    if (auto bytes = read_file(profile.session_state_file(), max_session_state_bytes)) {
        try {
            params = lt::read_session_params({bytes->data(), static_cast<long>(bytes->size())},
                                             lt::session_handle::save_dht_state);
        } catch (std::exception const&) {
            params = {};  // unreadable state: start with an empty routing table
        }
    }
    params.settings = to_settings_pack(settings);
    try {
        auto session = std::make_unique<lt::session>(std::move(params));
        session->set_peer_class_filter(everyone_in_global_class());
        session->add_extension(make_seed_marking_plugin());
        session->add_extension(make_handshake_bounds_plugin());
        return std::unique_ptr<Engine>(
            new Engine(std::move(profile), std::move(settings), std::move(session)));
    } catch (std::exception const& e) {
        return Error{std::string("cannot start the BitTorrent session: ") + e.what()};
    }
}

Engine::Engine(Profile profile, EngineSettings settings, std::unique_ptr<lt::session> session)
    : profile_(std::move(profile)),
      settings_(std::move(settings)),
      store_(profile_.resume_dir()),
      writer_([this](TorrentId const& id, lt::add_torrent_params const& params) {
          return store_.save(id, params);
      }),
      session_(std::move(session)) {
    auto const now = Clock::now();
    next_status_ = now;
    next_resume_save_ = now + settings_.resume_save_interval;
    next_pinned_check_ = now + pinned_peer_retry;
    next_pinned_recount_ = now + pinned_peer_recount;
    last_stats_time_ = now;
}

Engine::~Engine() {
    shutdown();
}

Engine::Torrent* Engine::find(TorrentId const& id) {
    auto const it = torrents_.find(id);
    return it == torrents_.end() ? nullptr : it->second.get();
}

Engine::Torrent* Engine::find(lt::torrent_handle const& handle) {
    auto const it = by_handle_.find(handle);
    return it == by_handle_.end() ? nullptr : it->second;
}

Result<TorrentId> Engine::add(AddTorrent request) {
    if (!session_) return Error{"the engine is shut down"};
    auto& source = request.source;
    auto const id = torrent_id_of(source.ti ? source.ti->info_hashes() : source.info_hashes);
    if (find(id)) return Error{"torrent " + id + " is already added"};
    if (auto const fetch = fetches_.find(id); fetch != fetches_.end()) {
        // An add dialog fetched the metadata: the torrent starts with it, not from nothing.
        if (!source.ti && fetch->second.metadata) source.ti = fetch->second.metadata;
        cancel_metadata_fetch(id);
    }
    auto lock = store_.lock(id);
    if (!lock) return Error{lock.error()};

    std::error_code ec;
    auto const save_path = fs::absolute(request.save_path, ec);
    lt::add_torrent_params params = source;
    params.save_path = save_path.string();
    params.flags = lt::torrent_flags::default_flags;

    if (store_.has(id)) {
        auto saved = store_.load(id);
        if (saved && fs::path(saved->save_path) == save_path) {
            params = std::move(saved.value());
            if (!params.ti) params.ti = source.ti;
            for (auto const& tracker : source.trackers) {
                if (std::find(params.trackers.begin(), params.trackers.end(), tracker) ==
                    params.trackers.end()) {
                    params.trackers.push_back(tracker);
                }
            }
            params.peers.insert(params.peers.end(), source.peers.begin(), source.peers.end());
            distrust_pieces_after_crash(id, **lock, params);
        } else if (!saved) {
            pending_.push_back(event::Warning{id, saved.error() + "; checking the files again"});
        }
    }

    // An explicit add states what the user wants now: running (unless asked paused), and
    // downloading unless this is a seed of existing data. Not auto-managed: libtorrent's queue
    // would otherwise pause torrents on its own.
    params.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused |
                      lt::torrent_flags::upload_mode);
    params.flags |= discovery_flags(settings_);
    if (request.paused) params.flags |= lt::torrent_flags::paused;
    if (request.seed_only) params.flags |= lt::torrent_flags::upload_mode;
    if (!request.file_priorities.empty() && params.file_priorities.empty()) {
        for (int priority : request.file_priorities) {
            params.file_priorities.push_back(to_native_priority(priority));
        }
    }
    // Only when set: any value >= 0, even 0 ("unlimited"), makes libtorrent give the torrent a
    // peer class of its own, taken from the same pool of 32 filterable ids that lanes need.
    if (request.upload_limit > 0) params.upload_limit = request.upload_limit;
    if (request.download_limit > 0) params.download_limit = request.download_limit;
    return add_to_session(id, std::move(params), std::move(lock.value()), request.seed_only);
}

std::vector<TorrentId> Engine::restore_all() {
    std::vector<TorrentId> restored;
    for (auto const& id : store_.saved_ids()) {
        if (find(id)) continue;
        auto lock = store_.lock(id);
        if (!lock) {
            pending_.push_back(event::Warning{id, lock.error()});
            continue;
        }
        auto params = store_.load(id);
        if (!params) {
            pending_.push_back(event::Warning{id, "cannot restore: " + params.error()});
            continue;
        }
        params->flags &= ~lt::torrent_flags::auto_managed;
        params->flags |= discovery_flags(settings_);
        distrust_pieces_after_crash(id, **lock, *params);
        auto added = add_to_session(id, std::move(params.value()), std::move(lock.value()), false);
        if (added) {
            restored.push_back(id);
        } else {
            pending_.push_back(event::Warning{id, "cannot restore: " + added.error()});
        }
    }
    return restored;
}

// Resume data is saved every few seconds, so after a crash it can list fewer pieces than the
// files hold. Given no piece list, libtorrent hash-checks whatever files it finds, so the pieces
// written since the last save are kept rather than fetched again. A complete torrent's list cannot
// be behind its files, so a seed skips the check.
void Engine::distrust_pieces_after_crash(TorrentId const& id, TorrentLock const& lock,
                                         lt::add_torrent_params& params) {
    if (lock.stopped_cleanly() || !params.ti || !params.ti->is_valid()) return;
    auto const& have = params.have_pieces;
    if (have.size() == params.ti->num_pieces() && have.all_set()) return;
    params.have_pieces.clear();
    params.verified_pieces.clear();
    params.unfinished_pieces.clear();
    pending_.push_back(event::Warning{
        id, "the last run stopped without saving its progress; checking the files on disk"});
}

Result<TorrentId> Engine::add_to_session(TorrentId const& id, lt::add_torrent_params params,
                                         std::unique_ptr<TorrentLock> lock, bool seed_only) {
    // Loaders bound these lists already; resume data and merged trackers have not been.
    LoadWarnings dropped;
    bound_torrent_lists(params, dropped);
    for (auto& warning : dropped) pending_.push_back(event::Warning{id, std::move(warning)});
    lt::error_code ec;
    auto handle = session_->add_torrent(std::move(params), ec);
    if (ec) return Error{"cannot add torrent " + id + ": " + ec.message()};
    auto torrent = std::make_unique<Torrent>();
    torrent->id = id;
    torrent->handle = handle;
    torrent->lock = std::move(lock);
    torrent->seed_only = seed_only;
    by_handle_[handle] = torrent.get();
    torrents_[id] = std::move(torrent);
    return id;
}

Status Engine::pause(TorrentId const& id) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    torrent->handle.pause(lt::torrent_handle::graceful_pause);
    request_resume_save(*torrent, false);
    return Ok{};
}

Status Engine::resume(TorrentId const& id) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    // A torrent stopped by an error (e.g. disk full) stays stopped until the error is cleared.
    torrent->handle.clear_error();
    torrent->handle.resume();
    request_resume_save(*torrent, false);
    return Ok{};
}

Status Engine::remove(TorrentId const& id, RemoveData data) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    session_->remove_torrent(torrent->handle, data == RemoveData::delete_files
                                                  ? lt::session::delete_files
                                                  : lt::remove_flags_t{});
    writer_.forget(id);  // a save still queued must not bring the files back
    store_.remove(id);
    by_handle_.erase(torrent->handle);
    torrents_.erase(id);
    apply_streaming_settings();
    pending_.push_back(event::TorrentRemoved{id});
    return Ok{};
}

Status Engine::set_torrent_limits(TorrentId const& id, int upload_limit, int download_limit) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    torrent->handle.set_upload_limit(upload_limit);
    torrent->handle.set_download_limit(download_limit);
    return Ok{};
}

std::optional<std::pair<int, int>> Engine::torrent_limits(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return std::nullopt;
    auto const& handle = it->second->handle;
    return std::pair{handle.upload_limit(), handle.download_limit()};
}

Status Engine::move_storage(TorrentId const& id, std::filesystem::path const& directory) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    if (directory.empty() || !directory.is_absolute()) {
        return Error{"move to a full path, not \"" + directory.string() + "\""};
    }
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) return Error{"cannot create " + directory.string() + ": " + ec.message()};
    torrent->handle.move_storage(directory.string(), lt::move_flags_t::fail_if_exist);
    return Ok{};
}

void Engine::set_session_limits(int upload_limit, int download_limit) {
    settings_.upload_limit = upload_limit;
    settings_.download_limit = download_limit;
    lt::settings_pack pack;
    pack.set_int(lt::settings_pack::upload_rate_limit, upload_limit);
    pack.set_int(lt::settings_pack::download_rate_limit, download_limit);
    session_->apply_settings(std::move(pack));
}

void Engine::set_listen_interfaces(std::string const& interfaces) {
    settings_.listen_interfaces = interfaces;
    lt::settings_pack pack;
    pack.set_str(lt::settings_pack::listen_interfaces, interfaces);
    pack.set_str(lt::settings_pack::outgoing_interfaces, single_listen_ip(interfaces));
    session_->apply_settings(std::move(pack));
}

Status Engine::pin_peer(TorrentId const& id, Endpoint const& peer) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    lt::tcp::endpoint const endpoint(lt::make_address(peer.address), peer.port);
    torrent->pinned_peers.add(endpoint);
    torrent->handle.connect_peer(endpoint);
    return Ok{};
}

Status Engine::connect_peer(TorrentId const& id, Endpoint const& peer) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    lt::error_code ec;
    auto const address = lt::make_address(peer.address, ec);
    if (ec) return Error{"not an IP address: " + peer.address};
    torrent->handle.connect_peer(lt::tcp::endpoint(address, peer.port));
    return Ok{};
}

std::vector<TorrentId> Engine::torrents() const {
    std::vector<TorrentId> ids;
    for (auto const& [id, torrent] : torrents_) ids.push_back(id);
    return ids;
}

std::optional<TorrentProgress> Engine::progress(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return std::nullopt;
    return progress_of(*it->second, it->second->handle.status());
}

// libtorrent answers some full-disk failures with upload mode instead of its error state, where
// the torrent would look like it downloads; until the retry succeeds it is stopped by an error.
TorrentProgress Engine::progress_of(Torrent const& torrent, lt::torrent_status const& status) {
    auto p = lanetorrent::progress_of(torrent.id, status);
    if (torrent.disk_fault != DiskFault::none) p.state = TorrentState::error;
    return p;
}

std::optional<fs::path> Engine::save_path(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return std::nullopt;
    return fs::path(it->second->handle.status(lt::torrent_handle::query_save_path).save_path);
}

std::vector<TorrentFile> Engine::files(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return {};
    auto const& handle = it->second->handle;
    auto const info = handle.torrent_file();
    if (!info) return {};
    auto const& storage = info->files();
    auto const done = handle.file_progress(lt::torrent_handle::piece_granularity);
    auto const priorities = it->second->requested_priorities.empty()
                                ? handle.get_file_priorities()
                                : it->second->requested_priorities;
    std::vector<TorrentFile> out;
    for (auto const index : storage.file_range()) {
        if (storage.pad_file_at(index)) continue;
        int const i = static_cast<int>(index);
        TorrentFile file;
        file.index = i;
        file.path = storage.file_path(index);
        file.size = storage.file_size(index);
        if (static_cast<std::size_t>(i) < done.size())
            file.done = done[static_cast<std::size_t>(i)];
        if (static_cast<std::size_t>(i) < priorities.size()) {
            file.priority = static_cast<int>(static_cast<std::uint8_t>(priorities[i]));
        }
        out.push_back(std::move(file));
    }
    return out;
}

Status Engine::set_file_priority(TorrentId const& id, int index, int priority) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    auto const info = torrent->handle.torrent_file();
    if (!info) return Error{"torrent " + id + " has no metadata yet"};
    if (index < 0 || index >= info->num_files()) {
        return Error{"torrent " + id + " has no file " + std::to_string(index)};
    }
    auto priorities = torrent->requested_priorities.empty() ? torrent->handle.get_file_priorities()
                                                            : torrent->requested_priorities;
    priorities.resize(static_cast<std::size_t>(info->num_files()), lt::default_priority);
    priorities[static_cast<std::size_t>(index)] = to_native_priority(priority);
    return apply_file_priorities(*torrent, std::move(priorities));
}

Status Engine::set_file_priorities(TorrentId const& id, std::vector<int> const& priorities) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    auto const info = torrent->handle.torrent_file();
    if (!info) return Error{"torrent " + id + " has no metadata yet"};
    std::vector<lt::download_priority_t> native;
    for (int priority : priorities) native.push_back(to_native_priority(priority));
    // Files the list does not mention keep libtorrent's default, as prioritize_files does.
    native.resize(static_cast<std::size_t>(info->num_files()), lt::default_priority);
    return apply_file_priorities(*torrent, std::move(native));
}

Status Engine::apply_file_priorities(Torrent& torrent,
                                     std::vector<lt::download_priority_t> priorities) {
    torrent.handle.prioritize_files(priorities);
    torrent.requested_priorities = std::move(priorities);
    request_resume_save(torrent, false);
    return Ok{};
}

std::vector<TrackerStatus> Engine::trackers(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return {};
    std::vector<TrackerStatus> out;
    for (auto const& entry : it->second->handle.trackers()) {
        TrackerStatus tracker{entry.url, entry.tier, "not contacted yet"};
        bool working = false;
        bool updating = false;
        std::string problem;
        for (auto const& endpoint : entry.endpoints) {
            for (auto const& hash : endpoint.info_hashes) {
                working = working || (hash.start_sent && hash.fails == 0);
                updating = updating || hash.updating;
                // A failure's reason is in `message`, not in last_error ("tracker sent a
                // failure message"): both, so the user reads what the tracker said.
                if (hash.last_error) {
                    problem = hash.last_error.message();
                    if (!hash.message.empty()) problem += ": " + hash.message;
                } else if (!hash.message.empty() && problem.empty()) {
                    problem = hash.message;
                }
            }
        }
        // A tracker's text is other people's: bounded as a page of text.
        constexpr std::size_t max_status = 2048;
        if (problem.size() > max_status) problem = problem.substr(0, max_status) + "…";
        if (updating) {
            tracker.status = "updating";
        } else if (!problem.empty()) {
            tracker.status = problem;
        } else if (working) {
            tracker.status = "working";
        }
        out.push_back(std::move(tracker));
    }
    return out;
}

namespace {

constexpr std::size_t max_tracker_url = 4096;

Status check_tracker_url(std::string const& url) {
    if (url.empty()) return Error{"enter the tracker's URL"};
    if (url.size() > max_tracker_url) {
        return Error{"a tracker URL is at most " + std::to_string(max_tracker_url) + " characters"};
    }
    for (char const c : url) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
            return Error{"a tracker URL has no spaces or control characters"};
        }
    }
    for (char const* scheme : {"http://", "https://", "udp://", "ws://", "wss://"}) {
        if (url.starts_with(scheme) && url.size() > std::strlen(scheme)) return Ok{};
    }
    return Error{"\"" + url.substr(0, 80) +
                 "\" is not a tracker URL: it starts with http://, https:// or udp://"};
}

}  // namespace

Status Engine::edit_trackers(TorrentId const& id,
                             std::function<Status(std::vector<lt::announce_entry>&)> const& edit) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    auto trackers = torrent->handle.trackers();
    if (auto edited = edit(trackers); !edited) return edited;
    torrent->handle.replace_trackers(trackers);
    request_resume_save(*torrent, false);
    return Ok{};
}

Status Engine::add_tracker(TorrentId const& id, std::string const& url, int tier) {
    if (auto valid = check_tracker_url(url); !valid) return valid;
    return edit_trackers(id, [&](std::vector<lt::announce_entry>& trackers) -> Status {
        for (auto const& entry : trackers) {
            if (entry.url == url) return Error{"the torrent has this tracker already"};
        }
        if (trackers.size() >= TorrentBounds::max_trackers) {
            return Error{"a torrent keeps at most " + std::to_string(TorrentBounds::max_trackers) +
                         " trackers"};
        }
        lt::announce_entry entry(url);
        entry.tier = static_cast<std::uint8_t>(std::clamp(tier, 0, 255));
        // replace_trackers keeps the list sorted by tier, as libtorrent announces it.
        auto const at = std::upper_bound(
            trackers.begin(), trackers.end(), entry.tier,
            [](std::uint8_t t, lt::announce_entry const& e) { return t < e.tier; });
        trackers.insert(at, std::move(entry));
        return Ok{};
    });
}

Status Engine::replace_tracker(TorrentId const& id, std::string const& old_url,
                               std::string const& new_url) {
    if (auto valid = check_tracker_url(new_url); !valid) return valid;
    return edit_trackers(id, [&](std::vector<lt::announce_entry>& trackers) -> Status {
        auto const it = std::find_if(trackers.begin(), trackers.end(),
                                     [&](auto const& e) { return e.url == old_url; });
        if (it == trackers.end()) return Error{"the torrent has no tracker " + old_url};
        if (old_url == new_url) return Ok{};
        if (std::any_of(trackers.begin(), trackers.end(),
                        [&](auto const& e) { return e.url == new_url; })) {
            return Error{"the torrent has this tracker already"};
        }
        lt::announce_entry replacement(new_url);
        replacement.tier = it->tier;
        *it = std::move(replacement);
        return Ok{};
    });
}

Status Engine::remove_tracker(TorrentId const& id, std::string const& url) {
    return edit_trackers(id, [&](std::vector<lt::announce_entry>& trackers) -> Status {
        auto const removed = std::erase_if(trackers, [&](auto const& e) { return e.url == url; });
        if (removed == 0) return Error{"the torrent has no tracker " + url};
        return Ok{};
    });
}

Status Engine::force_reannounce(TorrentId const& id, std::string const& url) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    int index = -1;  // libtorrent's "every tracker"
    if (!url.empty()) {
        auto const trackers = torrent->handle.trackers();
        auto const it = std::find_if(trackers.begin(), trackers.end(),
                                     [&](auto const& e) { return e.url == url; });
        if (it == trackers.end()) return Error{"the torrent has no tracker " + url};
        index = static_cast<int>(it - trackers.begin());
    }
    // ignore_min_interval: the user asked now, not when the tracker's min interval allows.
    torrent->handle.force_reannounce(0, index, lt::torrent_handle::ignore_min_interval);
    return Ok{};
}

Result<TorrentId> Engine::fetch_metadata(lt::add_torrent_params magnet) {
    if (!session_) return Error{"the engine is shut down"};
    auto const id = torrent_id_of(magnet.ti ? magnet.ti->info_hashes() : magnet.info_hashes);
    if (find(id)) return Error{"this torrent is in the list already"};
    if (fetches_.contains(id)) return id;
    LoadWarnings dropped;
    bound_torrent_lists(magnet, dropped);
    lt::add_torrent_params params = magnet;
    // Nothing is written in upload mode; the path only has to be one libtorrent accepts.
    params.save_path = (profile_.data_dir() / "metadata").string();
    params.flags = lt::torrent_flags::default_flags | discovery_flags(settings_);
    params.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
    params.flags |= lt::torrent_flags::upload_mode;
    lt::error_code ec;
    auto handle = session_->add_torrent(std::move(params), ec);
    if (ec) return Error{"cannot fetch the metadata of " + id + ": " + ec.message()};
    fetches_[id] = MetadataFetch{handle, std::move(magnet), nullptr};
    return id;
}

std::optional<lt::add_torrent_params> Engine::fetched_metadata(TorrentId const& id) const {
    auto const it = fetches_.find(id);
    if (it == fetches_.end() || !it->second.metadata) return std::nullopt;
    auto params = it->second.magnet;
    params.ti = it->second.metadata;
    return params;
}

void Engine::cancel_metadata_fetch(TorrentId const& id) {
    auto const it = fetches_.find(id);
    if (it == fetches_.end()) return;
    // Removal is queued on libtorrent's thread before any later add of the same info-hash.
    if (session_) session_->remove_torrent(it->second.handle);
    fetches_.erase(it);
}

Status Engine::set_streaming(TorrentId const& id, bool on) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    torrent->streaming = on;
    apply_streaming_settings();
    return Ok{};
}

Status Engine::set_sequential(TorrentId const& id, bool on) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    if (on) {
        torrent->handle.set_flags(lt::torrent_flags::sequential_download);
    } else {
        torrent->handle.unset_flags(lt::torrent_flags::sequential_download);
    }
    return Ok{};
}

// Session-wide, so they follow "any torrent streams". piece_finished_alert is in the
// piece_progress category, off by default: one alert per piece of every torrent otherwise.
void Engine::apply_streaming_settings() {
    bool const any = std::any_of(torrents_.begin(), torrents_.end(),
                                 [](auto const& entry) { return entry.second->streaming; });
    if (any == streaming_settings_ || !session_) return;
    streaming_settings_ = any;
    lt::settings_pack pack;
    auto const mask = to_settings_pack(settings_).get_int(lt::settings_pack::alert_mask);
    pack.set_int(lt::settings_pack::alert_mask,
                 any ? mask | static_cast<int>(
                                  static_cast<std::uint32_t>(lt::alert_category::piece_progress))
                     : mask);
    // Below this many pieces libtorrent's picker takes random pieces and ignores priorities
    // and deadlines; 0 lets a fresh stream's first pieces be the ones the player needs.
    pack.set_int(
        lt::settings_pack::initial_picker_threshold,
        any ? 0 : lt::default_settings().get_int(lt::settings_pack::initial_picker_threshold));
    session_->apply_settings(std::move(pack));
}

std::optional<FilePieces> Engine::file_pieces(TorrentId const& id, int file_index) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return std::nullopt;
    auto const& handle = it->second->handle;
    auto const info = handle.torrent_file();
    if (!info) return std::nullopt;
    auto const& storage = info->files();
    if (file_index < 0 || file_index >= storage.num_files()) return std::nullopt;
    lt::file_index_t const file(file_index);
    if (storage.pad_file_at(file)) return std::nullopt;
    FilePieces pieces;
    pieces.path = fs::path(handle.status(lt::torrent_handle::query_save_path).save_path) /
                  storage.file_path(file);
    pieces.name = std::string(storage.file_name(file));
    pieces.size = storage.file_size(file);
    pieces.offset_in_torrent = storage.file_offset(file);
    pieces.piece_length = info->piece_length();
    pieces.num_pieces = info->num_pieces();
    return pieces;
}

std::vector<bool> Engine::have_pieces(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end()) return {};
    auto const status = it->second->handle.status(lt::torrent_handle::query_pieces);
    if (!status.has_metadata) return {};
    std::vector<bool> have(static_cast<std::size_t>(status.pieces.size()));
    for (std::size_t i = 0; i < have.size(); ++i) {
        have[i] = status.pieces.get_bit(lt::piece_index_t(static_cast<int>(i)));
    }
    return have;
}

std::vector<int> Engine::piece_priorities(TorrentId const& id) const {
    auto const it = torrents_.find(id);
    if (it == torrents_.end() || !it->second->handle.torrent_file()) return {};
    std::vector<int> out;
    for (auto const priority : it->second->handle.get_piece_priorities()) {
        out.push_back(static_cast<int>(static_cast<std::uint8_t>(priority)));
    }
    return out;
}

Status Engine::set_piece_deadlines(TorrentId const& id,
                                   std::vector<PieceDeadline> const& deadlines) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    auto const info = torrent->handle.torrent_file();
    if (!info) return Error{"torrent " + id + " has no metadata yet"};
    for (auto const& d : deadlines) {
        if (d.piece < 0 || d.piece >= info->num_pieces()) {
            return Error{"torrent " + id + " has no piece " + std::to_string(d.piece)};
        }
    }
    std::vector<std::pair<lt::piece_index_t, lt::download_priority_t>> lower;
    std::vector<lt::download_priority_t> implied;
    for (auto const& d : deadlines) {
        torrent->handle.set_piece_deadline(lt::piece_index_t(d.piece), std::max(0, d.deadline_ms));
        int priority = std::clamp(d.priority, 1, 7);
        // Never below what the piece's files ask for.
        if (priority < 7) {
            if (implied.empty()) implied = file_implied_priorities(*torrent);
            priority = std::max(priority, static_cast<int>(static_cast<std::uint8_t>(
                                              implied[static_cast<std::size_t>(d.piece)])));
        }
        torrent->deadline_pieces[d.piece] = priority;
        if (priority < 7) {
            lower.emplace_back(lt::piece_index_t(d.piece), lt::download_priority_t(priority));
        }
    }
    // Queued behind the deadlines (the handle's calls run in order), which set 7.
    if (!lower.empty()) torrent->handle.prioritize_pieces(lower);
    return Ok{};
}

Status Engine::clear_piece_deadlines(TorrentId const& id, std::vector<int> const& pieces) {
    auto* torrent = find(id);
    if (!torrent) return Error{"no torrent " + id};
    auto const info = torrent->handle.torrent_file();
    if (!info) return Error{"torrent " + id + " has no metadata yet"};
    for (int piece : pieces) {
        if (piece < 0 || piece >= info->num_pieces()) {
            return Error{"torrent " + id + " has no piece " + std::to_string(piece)};
        }
    }
    std::vector<lt::download_priority_t> implied;
    std::vector<std::pair<lt::piece_index_t, lt::download_priority_t>> restore;
    for (int piece : pieces) {
        torrent->handle.reset_piece_deadline(lt::piece_index_t(piece));
        // Only pieces we raised: a piece that never had a deadline keeps what it has.
        if (torrent->deadline_pieces.erase(piece) == 0) continue;
        if (implied.empty()) implied = file_implied_priorities(*torrent);
        restore.emplace_back(lt::piece_index_t(piece), implied[static_cast<std::size_t>(piece)]);
    }
    // Queued behind the resets (the handle's calls run in order), so this is what stays.
    if (!restore.empty()) torrent->handle.prioritize_pieces(restore);
    return Ok{};
}

// What libtorrent itself gives a piece from the file priorities (update_piece_priorities): the
// highest of the files it overlaps, padding files not counted.
std::vector<lt::download_priority_t> Engine::file_implied_priorities(Torrent const& torrent) const {
    auto const info = torrent.handle.torrent_file();
    if (!info) return {};
    auto const files = torrent.requested_priorities.empty() ? torrent.handle.get_file_priorities()
                                                            : torrent.requested_priorities;
    auto const& storage = info->files();
    std::vector<lt::download_priority_t> pieces(static_cast<std::size_t>(info->num_pieces()),
                                                lt::dont_download);
    for (auto const file : storage.file_range()) {
        auto const size = storage.file_size(file);
        if (size == 0 || storage.pad_file_at(file)) continue;
        auto const index = static_cast<std::size_t>(static_cast<int>(file));
        auto const priority = index < files.size() ? files[index] : lt::default_priority;
        int const first = static_cast<int>(storage.map_file(file, 0, 0).piece);
        int const last = static_cast<int>(storage.map_file(file, size - 1, 0).piece);
        for (int p = first; p <= last; ++p) {
            auto& slot = pieces[static_cast<std::size_t>(p)];
            slot = std::max(slot, priority);
        }
    }
    return pieces;
}

// A file-priority change rewrites every piece's priority from the files, wiping the 7 (or the
// PieceDeadline::priority) that deadlines set (the pieces stay time-critical, but the regular
// picker no longer prefers them). Pieces whose files are now skipped lost their deadline in
// libtorrent too.
void Engine::keep_deadline_priorities(Torrent& torrent) {
    if (torrent.deadline_pieces.empty()) return;
    auto const implied = file_implied_priorities(torrent);
    if (implied.empty()) return;
    std::vector<std::pair<lt::piece_index_t, lt::download_priority_t>> raise;
    for (auto it = torrent.deadline_pieces.begin(); it != torrent.deadline_pieces.end();) {
        if (implied[static_cast<std::size_t>(it->first)] == lt::dont_download) {
            it = torrent.deadline_pieces.erase(it);
            continue;
        }
        raise.emplace_back(lt::piece_index_t(it->first),
                           std::max(lt::download_priority_t(it->second),
                                    implied[static_cast<std::size_t>(it->first)]));
        ++it;
    }
    if (!raise.empty()) torrent.handle.prioritize_pieces(raise);
}

void Engine::set_wakeup(std::function<void()> wakeup) {
    writer_.set_wakeup(wakeup);
    session_->set_alert_notify(std::move(wakeup));
}

void Engine::request_resume_save(Torrent& torrent, bool flush) {
    lt::resume_data_flags_t flags{};
    if (flush) flags |= lt::torrent_handle::flush_disk_cache;
    if (!torrent.metadata_saved) flags |= lt::torrent_handle::save_info_dict;
    torrent.handle.save_resume_data(flags);
    ++outstanding_resume_saves_;
    ++torrent.saves_in_flight;
}

void Engine::run_timers(Clock::time_point now) {
    if (now >= next_status_) {
        session_->post_torrent_updates();
        session_->post_session_stats();
        next_status_ = now + settings_.status_interval;
    }
    if (now >= next_resume_save_) {
        for (auto& [id, torrent] : torrents_) {
            if (torrent->handle.need_save_resume_data()) request_resume_save(*torrent, false);
        }
        next_resume_save_ = now + settings_.resume_save_interval;
    }
    if (now >= next_pinned_check_) {
        bool const recount = now >= next_pinned_recount_;
        for (auto& [id, torrent] : torrents_) {
            auto& pins = torrent->pinned_peers;
            if (pins.empty()) continue;
            if (recount && pins.any_connected()) {
                std::vector<lt::peer_info> peers;
                torrent->handle.get_peer_info(peers);
                std::vector<lt::address> connected;
                for (auto const& peer : peers) connected.push_back(peer.ip.address());
                pins.recount(connected);
            }
            for (auto const& endpoint : pins.due(now)) torrent->handle.connect_peer(endpoint);
        }
        next_pinned_check_ = now + pinned_peer_retry;
        if (recount) next_pinned_recount_ = now + pinned_peer_recount;
        retry_after_disk_faults(now);
    }
}

std::vector<Event> Engine::poll(std::chrono::milliseconds max_wait) {
    std::vector<Event> out = std::move(pending_);
    pending_.clear();
    if (!session_) return out;
    auto const now = Clock::now();
    run_timers(now);
    // PieceFinished for the pieces of streaming torrents written since; whether any still waits.
    auto report_written_pieces = [this](std::vector<Event>& events) {
        bool waiting = false;
        for (auto& entry : torrents_) {
            // A named pointer, not a structured binding: clang 14 cannot capture those.
            auto const& torrent = entry.second;
            auto& pieces = torrent->unwritten;
            auto const written = std::stable_partition(pieces.begin(), pieces.end(), [&](int p) {
                return !torrent->handle.have_piece(lt::piece_index_t(p));
            });
            for (auto it = written; it != pieces.end(); ++it) {
                events.push_back(event::PieceFinished{torrent->id, *it});
            }
            pieces.erase(written, pieces.end());
            waiting = waiting || !pieces.empty();
        }
        return waiting;
    };
    bool const unwritten = report_written_pieces(out);
    if (out.empty()) {
        auto const next_timer = std::min({next_status_, next_resume_save_, next_pinned_check_});
        auto const until_timer =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_timer - now);
        // A piece waiting for its last writes raises no alert when they are done: look again soon.
        auto const wait = std::clamp(until_timer, 0ms, max_wait);
        // Nor does a resume write the writer's thread finishes (but for the wakeup, which a
        // caller that blocks here does not have).
        bool const look_soon = unwritten || writer_.outstanding() > 0;
        session_->wait_for_alert(look_soon ? std::min(wait, 10ms) : wait);
    }
    std::vector<lt::alert*> alerts;
    session_->pop_alerts(&alerts);
    for (auto const* alert : alerts) handle(alert, out);
    take_resume_writes(out);
    report_written_pieces(out);
    return out;
}

void Engine::take_resume_writes(std::vector<Event>& out) {
    for (auto& done : writer_.take_done()) {
        auto* torrent = find(done.id);
        if (!torrent || done.cancelled) continue;  // removed since it was asked for
        torrent->last_save_failed = !done.status;
        if (done.status) {
            torrent->metadata_saved = torrent->metadata_saved || done.had_metadata;
            out.push_back(event::ResumeSaved{done.id});
        } else {
            out.push_back(
                event::Warning{done.id, "cannot save resume data: " + done.status.error()});
        }
        on_resume_reply(*torrent, out);
    }
}

void Engine::on_checked(Torrent& torrent, std::vector<Event>& out) {
    auto const status = torrent.handle.status();
    out.push_back(event::Checked{torrent.id, status.total_wanted_done, status.total_wanted,
                                 status.num_pieces});
    if (!torrent.seed_only) return;
    if (status.total_wanted_done < status.total_wanted) {
        torrent.handle.pause();
        out.push_back(event::TorrentError{
            torrent.id, "the data in " + status.save_path + " does not match the torrent: only " +
                            std::to_string(status.total_wanted_done) + " of " +
                            std::to_string(status.total_wanted) + " bytes are present"});
        return;
    }
    // Verified: leave upload mode (it only existed so a bad data dir is never "repaired" by
    // downloading over it).
    torrent.handle.unset_flags(lt::torrent_flags::upload_mode);
}

void Engine::on_resume_reply(Torrent& torrent, std::vector<Event>& out) {
    // Replies come in request order; only once the flushing request (the last one made when the
    // torrent finished, or a later one) has answered are the writes done.
    --torrent.saves_in_flight;
    if (!torrent.finish_pending || torrent.saves_in_flight > 0) return;
    torrent.finish_pending = false;
    out.push_back(event::Finished{torrent.id, torrent.handle.status().total_payload_download});
}

void Engine::on_session_stats(lt::alert const* alert, std::vector<Event>& out) {
    static int const received_index = lt::find_metric_idx("net.recv_payload_bytes");
    static int const sent_index = lt::find_metric_idx("net.sent_payload_bytes");
    static int const peers_index = lt::find_metric_idx("peer.num_peers_connected");
    auto const counters = static_cast<lt::session_stats_alert const*>(alert)->counters();
    auto const now = Clock::now();
    double const seconds = std::chrono::duration<double>(now - last_stats_time_).count();
    event::SessionStats stats;
    stats.downloaded = counters[received_index];
    stats.uploaded = counters[sent_index];
    stats.peers = static_cast<int>(counters[peers_index]);
    if (seconds > 0) {
        stats.download_rate = static_cast<int>((stats.downloaded - last_received_) / seconds);
        stats.upload_rate = static_cast<int>((stats.uploaded - last_sent_) / seconds);
    }
    last_stats_time_ = now;
    last_received_ = stats.downloaded;
    last_sent_ = stats.uploaded;
    out.push_back(stats);
}

// libtorrent reports one disk failure twice (file_error_alert, then torrent_error_alert) and then
// its echoes (a file that could not be created is missing when read); the user hears of it once.
void Engine::on_torrent_error(Torrent& torrent, std::string message, lt::error_code const& ec,
                              std::vector<Event>& out) {
    if (torrent.disk_fault != DiskFault::none) return;
    auto const fault = classify_disk_error(ec);
    if (fault != DiskFault::none) {
        torrent.disk_fault = fault;
        auto const now = Clock::now();
        // A fault long after the last retry is a new story, not the same one persisting.
        if (now - torrent.disk_resumed_at > 2 * max_disk_retry_delay) {
            torrent.disk_retry_delay = std::chrono::seconds{0};
        }
        torrent.disk_retry_delay =
            std::max(settings_.disk_retry_interval, torrent.disk_retry_delay * 2);
        torrent.disk_retry_delay = std::min(torrent.disk_retry_delay, max_disk_retry_delay);
        torrent.disk_retry_at = now + torrent.disk_retry_delay;
        message += std::string("; ") + recovery_hint(fault);
    }
    out.push_back(event::TorrentError{torrent.id, std::move(message), fault != DiskFault::none});
}

void Engine::retry_after_disk_faults(Clock::time_point now) {
    for (auto& [id, torrent] : torrents_) {
        if (torrent->disk_fault == DiskFault::none || now < torrent->disk_retry_at) continue;
        auto const info = torrent->handle.torrent_file();
        // Room for a few pieces at least: a disk that is still all but full would fail again.
        constexpr std::int64_t some_room = 8 * 1024 * 1024;
        std::int64_t const needed =
            std::max<std::int64_t>(info ? 4 * info->piece_length() : 0, some_room);
        auto const save_path =
            torrent->handle.status(lt::torrent_handle::query_save_path).save_path;
        if (!looks_recovered(torrent->disk_fault, save_path, needed)) {
            torrent->disk_retry_at = now + settings_.disk_retry_interval;
            continue;
        }
        // If it fails again, on_torrent_error reports it and doubles the delay: a fault that
        // looks fixed but is not (a file of its own made read-only) is not retried in a tight loop.
        torrent->disk_fault = DiskFault::none;
        torrent->disk_resumed_at = now;
        torrent->handle.clear_error();
        // libtorrent answers a full disk with upload mode (serve, fetch nothing) as well as the
        // error; a seed-only torrent is in upload mode on purpose and stays so.
        if (!torrent->seed_only) torrent->handle.unset_flags(lt::torrent_flags::upload_mode);
        torrent->handle.resume();
        pending_.push_back(event::Warning{id, "the save path is usable again; resuming"});
    }
}

void Engine::handle(lt::alert const* alert, std::vector<Event>& out) {
    if (auto const* a = lt::alert_cast<lt::listen_succeeded_alert>(alert)) {
        if (a->socket_type == lt::socket_type_t::tcp) {
            out.push_back(event::Listening{a->address.to_string(), a->port});
        }
        return;
    }
    if (auto const* a = lt::alert_cast<lt::listen_failed_alert>(alert)) {
        if (a->socket_type == lt::socket_type_t::tcp) {
            out.push_back(event::ListenFailed{a->address.to_string(), a->port, a->error.message()});
        }
        return;
    }
    if (alert->type() == lt::session_stats_alert::alert_type) return on_session_stats(alert, out);
    if (auto const* a = lt::alert_cast<lt::alerts_dropped_alert>(alert)) {
        out.push_back(event::Warning{{},
                                     "libtorrent dropped " +
                                         std::to_string(a->dropped_alerts.count()) +
                                         " kinds of alerts; status may lag"});
        return;
    }
    if (auto const* a = lt::alert_cast<lt::state_update_alert>(alert)) {
        for (auto const& status : a->status) {
            if (auto* torrent = find(status.handle)) {
                torrent->pinned_peers.set_complete(status.is_finished);
                out.push_back(event::Progress{progress_of(*torrent, status)});
            }
        }
        return;
    }
    // Resume-data replies are counted even for torrents removed meanwhile, so that shutdown
    // knows when every requested save has answered.
    bool const resume_reply = alert->type() == lt::save_resume_data_alert::alert_type ||
                              alert->type() == lt::save_resume_data_failed_alert::alert_type;
    if (resume_reply) --outstanding_resume_saves_;

    auto const* torrent_alert = dynamic_cast<lt::torrent_alert const*>(alert);
    if (!torrent_alert) return;
    auto* torrent = find(torrent_alert->handle);
    if (!torrent) {
        if (alert->type() == lt::metadata_received_alert::alert_type) {
            on_fetched_metadata(torrent_alert->handle, out);
        }
        return;
    }
    auto const& id = torrent->id;

    switch (alert->type()) {
        case lt::add_torrent_alert::alert_type:
            out.push_back(event::TorrentAdded{id, torrent->handle.status().name});
            // Persist at once, so a torrent is remembered even if we crash before the first
            // periodic save.
            request_resume_save(*torrent, false);
            break;
        case lt::metadata_received_alert::alert_type: {
            auto const status = torrent->handle.status();
            out.push_back(event::MetadataReceived{id, status.name, status.total_wanted});
            request_resume_save(*torrent, false);
            break;
        }
        case lt::torrent_checked_alert::alert_type:
            on_checked(*torrent, out);
            break;
        case lt::torrent_finished_alert::alert_type:
            // A seed of existing data has downloaded nothing; Checked already told its story.
            torrent->finish_pending = !torrent->seed_only;
            request_resume_save(*torrent, true);
            break;
        case lt::save_resume_data_alert::alert_type:
            // Answered by take_resume_writes() once the writer's thread has it on disk.
            writer_.save(id, static_cast<lt::save_resume_data_alert const*>(alert)->params);
            break;
        case lt::save_resume_data_failed_alert::alert_type: {
            auto const& error = static_cast<lt::save_resume_data_failed_alert const*>(alert)->error;
            torrent->last_save_failed = error != lt::errors::resume_data_not_modified;
            if (torrent->last_save_failed) {
                out.push_back(event::Warning{id, "cannot save resume data: " + error.message()});
            }
            on_resume_reply(*torrent, out);
            break;
        }
        case lt::file_error_alert::alert_type: {
            auto const* a = static_cast<lt::file_error_alert const*>(alert);
            on_torrent_error(*torrent, file_error_text(a->op, a->filename(), a->error), a->error,
                             out);
            break;
        }
        case lt::torrent_error_alert::alert_type: {
            auto const* a = static_cast<lt::torrent_error_alert const*>(alert);
            std::string where = a->filename();
            on_torrent_error(*torrent, (where.empty() ? "" : where + ": ") + a->error.message(),
                             a->error, out);
            break;
        }
        case lt::storage_moved_alert::alert_type:
            // The new path must survive a kill -9 right after the move.
            request_resume_save(*torrent, true);
            break;
        case lt::storage_moved_failed_alert::alert_type: {
            auto const* a = static_cast<lt::storage_moved_failed_alert const*>(alert);
            std::string const file = a->file_path();
            out.push_back(event::Warning{
                id, "cannot move the files" + (file.empty() ? std::string() : " (" + file + ")") +
                        ": " + a->error.message() + "; they stay where they were"});
            break;
        }
        case lt::fastresume_rejected_alert::alert_type: {
            auto const* a = static_cast<lt::fastresume_rejected_alert const*>(alert);
            out.push_back(event::Warning{
                id, "resume data rejected (" + a->error.message() + "); checking the files again"});
            break;
        }
        case lt::tracker_error_alert::alert_type: {
            auto const* a = static_cast<lt::tracker_error_alert const*>(alert);
            out.push_back(event::Warning{
                id, std::string("tracker ") + a->tracker_url() + ": " +
                        (a->failure_reason()[0] ? a->failure_reason() : a->error.message())});
            break;
        }
        case lt::piece_finished_alert::alert_type: {
            int const piece =
                static_cast<int>(static_cast<lt::piece_finished_alert const*>(alert)->piece_index);
            torrent->deadline_pieces.erase(piece);  // libtorrent dropped its deadline
            if (torrent->streaming) {
                if (torrent->handle.have_piece(lt::piece_index_t(piece))) {
                    out.push_back(event::PieceFinished{id, piece});
                } else {
                    torrent->unwritten.push_back(piece);
                }
            }
            break;
        }
        case lt::file_prio_alert::alert_type:
            keep_deadline_priorities(*torrent);
            break;
        case lt::peer_connect_alert::alert_type: {
            auto const* a = static_cast<lt::peer_connect_alert const*>(alert);
            torrent->pinned_peers.on_connected(a->endpoint.address());
            out.push_back(
                event::PeerConnected{id, endpoint_text(a->endpoint),
                                     a->direction == lt::peer_connect_alert::direction_t::in});
            break;
        }
        case lt::peer_disconnected_alert::alert_type: {
            auto const* a = static_cast<lt::peer_disconnected_alert const*>(alert);
            torrent->pinned_peers.on_disconnected(a->endpoint.address(), a->error);
            out.push_back(
                event::PeerDisconnected{id, endpoint_text(a->endpoint), a->error.message()});
            break;
        }
        default:
            break;
    }
}

void Engine::on_fetched_metadata(lt::torrent_handle const& handle, std::vector<Event>& out) {
    auto const it = std::find_if(fetches_.begin(), fetches_.end(),
                                 [&](auto const& entry) { return entry.second.handle == handle; });
    if (it == fetches_.end()) return;
    auto const info = handle.torrent_file();
    if (!info) return;
    auto& fetch = it->second;
    fetch.metadata = std::make_shared<lt::torrent_info>(*info);
    // Its peers stay connected only until the dialog adds or cancels; pausing would drop them
    // and the fast-lane offers they bring.
    out.push_back(event::MetadataReceived{it->first, info->name(), info->total_size()});
}

void Engine::shutdown(std::chrono::seconds timeout) {
    if (!session_) return;
    fetches_.clear();
    // Session-level pause stops transfers without touching each torrent's own paused flag, so
    // the resume data still says "running" and the next start continues.
    session_->pause();
    for (auto& [id, torrent] : torrents_) request_resume_save(*torrent, true);
    auto const deadline = Clock::now() + timeout;
    std::vector<Event> ignored;
    while ((outstanding_resume_saves_ > 0 || writer_.outstanding() > 0) &&
           Clock::now() < deadline) {
        if (outstanding_resume_saves_ > 0) {
            session_->wait_for_alert(100ms);
        } else {
            writer_.wait_for_done(100ms);
        }
        std::vector<lt::alert*> alerts;
        session_->pop_alerts(&alerts);
        for (auto const* alert : alerts) handle(alert, ignored);
        take_resume_writes(ignored);
    }
    for (auto& [id, torrent] : torrents_) {
        if (torrent->saves_in_flight == 0 && !torrent->last_save_failed)
            torrent->lock->mark_stopped();
    }
    auto const state =
        lt::write_session_params_buf(session_->session_state(lt::session_handle::save_dht_state));
    (void)write_file_atomically(profile_.session_state_file(), state);
    session_->set_alert_notify({});
    writer_.set_wakeup({});
    session_.reset();  // sends "stopped" to trackers, waiting at most stop_tracker_timeout
    by_handle_.clear();
    torrents_.clear();
}

}  // namespace lanetorrent
