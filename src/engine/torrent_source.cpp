#include "engine/torrent_source.hpp"

#include <algorithm>

#include <libtorrent/load_torrent.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/torrent_info.hpp>

#include "engine/atomic_file.hpp"

namespace lanetorrent {

namespace {

constexpr std::size_t max_torrent_file_bytes = 64 * 1024 * 1024;

}  // namespace

bool looks_like_magnet(std::string_view text) {
    return text.size() >= 7 && (text.substr(0, 7) == "magnet:" || text.substr(0, 7) == "MAGNET:");
}

Result<lt::add_torrent_params> parse_magnet(std::string_view uri) {
    lt::error_code ec;
    auto params = lt::parse_magnet_uri(lt::string_view(uri.data(), uri.size()), ec);
    if (ec) return Error{"invalid magnet link: " + ec.message()};
    if (!params.info_hashes.has_v1() && !params.info_hashes.has_v2()) {
        return Error{"invalid magnet link: it has no info-hash (xt=urn:btih:...)"};
    }
    return params;
}

Result<lt::add_torrent_params> load_torrent_bytes(std::span<char const> bytes,
                                                  std::string const& origin) {
    if (bytes.empty()) return Error{origin + " is empty, not a .torrent file"};
    if (bytes.size() > max_torrent_file_bytes) {
        return Error{origin + " is too large for a .torrent file"};
    }
    try {
        lt::load_torrent_limits limits;
        limits.max_buffer_size = static_cast<int>(max_torrent_file_bytes);
        return lt::load_torrent_buffer({bytes.data(), static_cast<long>(bytes.size())}, limits);
    } catch (lt::system_error const& e) {
        return Error{origin + " is not a valid .torrent file: " + e.code().message()};
    } catch (std::exception const& e) {
        return Error{origin + " is not a valid .torrent file: " + e.what()};
    }
}

Result<lt::add_torrent_params> load_torrent_file(std::string const& path) {
    auto bytes = read_file(path, max_torrent_file_bytes);
    if (!bytes) return Error{bytes.error()};
    return load_torrent_bytes(bytes.value(), path);
}

Result<lt::add_torrent_params> load_torrent_source(std::string const& file_or_magnet) {
    return looks_like_magnet(file_or_magnet) ? parse_magnet(file_or_magnet)
                                             : load_torrent_file(file_or_magnet);
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
    return d;
}

}  // namespace lanetorrent
