#include "engine/torrent_creator.hpp"

#include <libtorrent/create_torrent.hpp>
#include <libtorrent/torrent_info.hpp>

#include "engine/torrent_source.hpp"
#include "engine/version.hpp"

namespace lanetorrent {
namespace fs = std::filesystem;

Result<CreatedTorrent> create_torrent(CreateOptions const& options) {
    std::error_code ec;
    auto const content = fs::absolute(options.content, ec);
    if (ec || !fs::exists(content, ec)) {
        return Error{"cannot create a torrent: " + options.content.string() + " does not exist"};
    }
    int const piece_bytes = options.piece_size_kib * 1024;
    if (piece_bytes != 0 && (piece_bytes < 16 * 1024 || (piece_bytes & (piece_bytes - 1)) != 0)) {
        return Error{"piece size must be a power of two of at least 16 KiB"};
    }

    lt::create_flags_t flags{};
    if (options.format == TorrentFormat::v1) flags |= lt::create_torrent::v1_only;
    if (options.format == TorrentFormat::v2) flags |= lt::create_torrent::v2_only;

    lt::file_storage files;
    // Hidden files are skipped like other clients do (editor swap files, .DS_Store); the
    // predicate sees every path below content, so check each name, not just the root.
    lt::add_files(
        files, content.string(),
        [](std::string const& path) { return fs::path(path).filename().string().front() != '.'; },
        flags);
    if (files.num_files() == 0) {
        return Error{"cannot create a torrent: " + options.content.string() + " holds no files"};
    }
    if (files.total_size() == 0) {
        return Error{"cannot create a torrent: " + options.content.string() + " is empty"};
    }

    try {
        lt::create_torrent torrent(files, piece_bytes, flags);
        int tier = 0;
        for (auto const& url : options.trackers) torrent.add_tracker(url, tier++);
        for (auto const& url : options.web_seeds) torrent.add_url_seed(url);
        torrent.set_priv(options.is_private);
        torrent.set_creator(user_agent().c_str());
        if (!options.comment.empty()) torrent.set_comment(options.comment.c_str());

        lt::error_code hash_ec;
        lt::set_piece_hashes(torrent, content.parent_path().string(), hash_ec);
        if (hash_ec) return Error{"cannot hash " + content.string() + ": " + hash_ec.message()};

        CreatedTorrent created;
        lt::bencode(std::back_inserter(created.bytes), torrent.generate());
        auto const loaded = load_torrent_bytes(created.bytes, "the new torrent");
        if (!loaded) return Error{loaded.error()};
        created.id = torrent_id_of(loaded->ti->info_hashes());
        return created;
    } catch (std::exception const& e) {
        return Error{std::string("cannot create the torrent: ") + e.what()};
    }
}

}  // namespace lanetorrent
