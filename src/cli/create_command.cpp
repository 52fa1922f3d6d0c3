#include <fmt/format.h>

#include "base/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "engine/torrent_creator.hpp"

namespace lanetorrent::cli {

int run_create(CreateOptions const& options) {
    int const piece = options.piece_size_kib;
    if (piece != 0 && (piece < 16 || (piece & (piece - 1)) != 0)) {
        return fail(exit_usage, fmt::format("--piece-size must be a power of two of at least 16 "
                                            "KiB, not {}",
                                            piece));
    }
    lanetorrent::CreateOptions create;
    create.content = options.path;
    create.trackers = options.trackers;
    create.web_seeds = options.web_seeds;
    create.piece_size_kib = piece;
    create.is_private = options.is_private;
    create.comment = options.comment;
    create.format = options.format == "hybrid" ? TorrentFormat::hybrid
                    : options.format == "v2"   ? TorrentFormat::v2
                                               : TorrentFormat::v1;
    auto created = create_torrent(create);
    if (!created) return fail(exit_failure, created.error());
    if (auto status = write_file_atomically(options.output, created->bytes); !status) {
        return fail(exit_failure, status.error());
    }
    fmt::print("created {} (info-hash {})\n", options.output, created->id);
    return exit_success;
}

}  // namespace lanetorrent::cli
