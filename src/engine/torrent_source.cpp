#include "engine/torrent_source.hpp"

#include <algorithm>
#include <unordered_set>

#include <libtorrent/load_torrent.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/torrent_info.hpp>

#include "base/atomic_file.hpp"
#include "engine/printable_text.hpp"

namespace lanetorrent {

namespace {

constexpr std::size_t max_torrent_file_bytes = TorrentBounds::max_file_bytes;

// Keeps the first `limit` distinct, non-empty entries of `list` (and the matching entries of
// `tiers`, if it has any); returns how many distinct entries there were.
std::size_t keep_first_distinct(std::vector<std::string>& list, std::size_t limit,
                                std::vector<int>* tiers = nullptr) {
    std::unordered_set<std::string> seen;
    std::size_t kept = 0;
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].empty() || !seen.insert(list[i]).second) continue;
        ++distinct;
        if (kept == limit) continue;
        if (kept != i) {
            list[kept] = std::move(list[i]);
            if (tiers && i < tiers->size()) (*tiers)[kept] = (*tiers)[i];
        }
        ++kept;
    }
    list.resize(kept);
    if (tiers && tiers->size() > kept) tiers->resize(kept);
    return distinct;
}

template <typename T>
std::size_t keep_first(std::vector<T>& list, std::size_t limit) {
    auto const total = list.size();
    if (total > limit) list.resize(limit);
    return total;
}

void note_dropped(LoadWarnings& warnings, std::size_t total, std::size_t limit, char const* what,
                  char const* why) {
    if (total <= limit) return;
    warnings.push_back("kept the first " + std::to_string(limit) + " of " + std::to_string(total) +
                       " " + what + " (" + why + ")");
}

}  // namespace

void bound_torrent_lists(lt::add_torrent_params& params, LoadWarnings& warnings) {
    using B = TorrentBounds;
    auto const trackers =
        keep_first_distinct(params.trackers, B::max_trackers, &params.tracker_tiers);
    note_dropped(warnings, trackers, B::max_trackers, "distinct trackers",
                 "more only slow the client down");
    auto const url_seeds = keep_first_distinct(params.url_seeds, B::max_web_seeds);
    auto const http_seeds = keep_first_distinct(params.http_seeds, B::max_web_seeds);
    note_dropped(warnings, url_seeds, B::max_web_seeds, "distinct web seeds",
                 "more only slow the client down");
    note_dropped(warnings, http_seeds, B::max_web_seeds, "distinct HTTP seeds",
                 "more only slow the client down");
    auto const peers = keep_first(params.peers, B::max_peers);
    note_dropped(warnings, peers, B::max_peers, "peers", "the rest are found by asking");
    auto const nodes = keep_first(params.dht_nodes, B::max_peers);
    note_dropped(warnings, nodes, B::max_peers, "DHT nodes", "the rest are found by asking");
}

bool looks_like_magnet(std::string_view text) {
    return text.size() >= 7 && (text.substr(0, 7) == "magnet:" || text.substr(0, 7) == "MAGNET:");
}

Result<lt::add_torrent_params> parse_magnet(std::string_view uri, LoadWarnings* warnings) {
    // A magnet link is read whole; one as large as the largest .torrent is not a link.
    if (uri.size() > max_torrent_file_bytes) return Error{"invalid magnet link: it is too long"};
    lt::error_code ec;
    auto params = lt::parse_magnet_uri(lt::string_view(uri.data(), uri.size()), ec);
    if (ec) return Error{"invalid magnet link: " + ec.message()};
    if (!params.info_hashes.has_v1() && !params.info_hashes.has_v2()) {
        return Error{"invalid magnet link: it has no info-hash (xt=urn:btih:...)"};
    }
    LoadWarnings dropped;
    bound_torrent_lists(params, dropped);
    if (warnings) *warnings = std::move(dropped);
    return params;
}

Result<lt::add_torrent_params> load_torrent_bytes(std::span<char const> bytes,
                                                  std::string const& origin,
                                                  LoadWarnings* warnings) {
    if (bytes.empty()) return Error{origin + " is empty, not a .torrent file"};
    if (bytes.size() > max_torrent_file_bytes) {
        return Error{origin + " is too large for a .torrent file"};
    }
    lt::add_torrent_params params;
    try {
        lt::load_torrent_limits limits;
        limits.max_buffer_size = static_cast<int>(max_torrent_file_bytes);
        limits.max_pieces = TorrentBounds::max_pieces;
        limits.max_decode_depth = TorrentBounds::max_decode_depth;
        limits.max_decode_tokens = TorrentBounds::max_decode_tokens;
        params = lt::load_torrent_buffer({bytes.data(), static_cast<long>(bytes.size())}, limits);
    } catch (lt::system_error const& e) {
        return Error{origin + " is not a valid .torrent file: " + e.code().message()};
    } catch (std::exception const& e) {
        return Error{origin + " is not a valid .torrent file: " + e.what()};
    }
    if (params.ti && params.ti->num_files() > TorrentBounds::max_files) {
        return Error{origin + " lists " + std::to_string(params.ti->num_files()) +
                     " files; LaneTorrent opens torrents of up to " +
                     std::to_string(TorrentBounds::max_files)};
    }
    LoadWarnings dropped;
    bound_torrent_lists(params, dropped);
    if (warnings) *warnings = std::move(dropped);
    return params;
}

Result<lt::add_torrent_params> load_torrent_file(std::string const& path, LoadWarnings* warnings) {
    auto bytes = read_file(path, max_torrent_file_bytes);
    if (!bytes) return Error{bytes.error()};
    return load_torrent_bytes(bytes.value(), path, warnings);
}

Result<lt::add_torrent_params> load_torrent_source(std::string const& file_or_magnet,
                                                   LoadWarnings* warnings) {
    return looks_like_magnet(file_or_magnet) ? parse_magnet(file_or_magnet, warnings)
                                             : load_torrent_file(file_or_magnet, warnings);
}

TorrentDescription describe(lt::add_torrent_params const& params) {
    TorrentDescription d;
    auto hashes = params.info_hashes;
    if (params.ti) hashes = params.ti->info_hashes();
    d.id = torrent_id_of(hashes);
    if (hashes.has_v1()) d.info_hash_v1 = to_hex(hashes.v1);
    if (hashes.has_v2()) d.info_hash_v2 = to_hex(hashes.v2);
    d.name = params.name;
    d.trackers = params.trackers;
    d.web_seeds = params.url_seeds;
    if (auto const& ti = params.ti; ti && ti->is_valid()) {
        d.has_metadata = true;
        d.name = ti->name();
        d.total_size = ti->total_size();
        d.piece_size = ti->piece_length();
        d.num_pieces = ti->num_pieces();
        d.is_private = ti->priv();
        d.comment = ti->comment();
        d.creator = ti->creator();
        auto const& fs = ti->files();
        for (auto const index : fs.file_range()) {
            d.files.push_back({fs.file_path(index), fs.file_size(index), fs.pad_file_at(index)});
        }
        // load_torrent_*() moves trackers and web seeds from the torrent_info into the params;
        // a torrent_info built another way still holds them.
        auto add_unique = [](std::vector<std::string>& list, std::string const& url) {
            if (std::find(list.begin(), list.end(), url) == list.end()) list.push_back(url);
        };
        for (auto const& tracker : ti->trackers()) add_unique(d.trackers, tracker.url);
        for (auto const& seed : ti->web_seeds()) add_unique(d.web_seeds, seed.url);
    }
    // Names, paths and URLs are whatever bytes the torrent's author chose (libtorrent repairs
    // file paths only); the description is shown and printed as JSON, so it is valid UTF-8.
    d.name = valid_utf8(d.name);
    d.comment = valid_utf8(d.comment);
    d.creator = valid_utf8(d.creator);
    for (auto& file : d.files) file.path = valid_utf8(file.path);
    for (auto& tracker : d.trackers) tracker = valid_utf8(tracker);
    for (auto& seed : d.web_seeds) seed = valid_utf8(seed);
    return d;
}

}  // namespace lanetorrent
