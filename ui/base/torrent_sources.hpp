// What the widgets need to know about a torrent a person hands over (a .torrent file, a magnet, a
// dropped text), read and described here so that ui/gui never reaches into the engine.
#pragma once

#include <QString>

#include "base/result.hpp"
#include "engine/torrent_source.hpp"

namespace lanetorrent::ui {

// The name, size, files and trackers of a .torrent file or a magnet (no files until its metadata
// arrives), or why it cannot be read, in one sentence.
Result<TorrentDescription> describe_torrent_source(QString const& file_or_magnet);

// Whether dropped or pasted text is a magnet link worth offering to add.
bool is_magnet_text(QString const& text);

}  // namespace lanetorrent::ui
