#include "base/torrent_sources.hpp"

namespace lanetorrent::ui {

Result<TorrentDescription> describe_torrent_source(QString const& file_or_magnet) {
    auto params = load_torrent_source(file_or_magnet.toStdString());
    if (!params) return Error{params.error()};
    return describe(*params);
}

bool is_magnet_text(QString const& text) {
    return looks_like_magnet(text.toStdString());
}

}  // namespace lanetorrent::ui
