// Typed events the engine turns libtorrent's alerts into. They are plain values (no handles, no
// alert pointers: alerts die on the next pop), so consumers may keep, copy or queue them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "engine/torrent_id.hpp"

namespace lanetorrent {

enum class TorrentState {
    checking,
    downloading_metadata,
    downloading,
    seeding,
    paused,
    error,
};

char const* to_string(TorrentState state);

struct TorrentProgress {
    TorrentId id;
    std::string name;
    TorrentState state = TorrentState::checking;
    double progress = 0;           // 0..1 of the wanted bytes
    std::int64_t have_bytes = 0;   // includes blocks written in pieces not yet complete
    std::int64_t total_bytes = 0;  // 0 until metadata is known
    int have_pieces = 0;           // complete and hash-checked
    int download_rate = 0;         // payload bytes/s
    int upload_rate = 0;
    std::int64_t downloaded = 0;  // payload bytes since this session added the torrent
    std::int64_t uploaded = 0;
    int peers = 0;
    int seeds = 0;
    std::optional<std::int64_t> eta_seconds;
};

namespace event {

struct Listening {
    std::string address;
    int port = 0;
};
struct ListenFailed {
    std::string address;
    int port = 0;
    std::string message;
};
struct TorrentAdded {
    TorrentId id;
    std::string name;
};
struct MetadataReceived {
    TorrentId id;
    std::string name;
    std::int64_t total_bytes = 0;
};
// Hash check (or resume-data check) done: from here on have_bytes is trustworthy.
struct Checked {
    TorrentId id;
    std::int64_t have_bytes = 0;
    std::int64_t total_bytes = 0;
    int have_pieces = 0;
};
struct Progress {
    TorrentProgress status;
};
// Every wanted piece is downloaded, has passed its hash check, and has been written to disk.
struct Finished {
    TorrentId id;
    std::int64_t downloaded = 0;
};
struct PeerConnected {
    TorrentId id;
    std::string peer;  // IP:PORT
    bool incoming = false;
};
struct PeerDisconnected {
    TorrentId id;
    std::string peer;
    std::string reason;
};
struct ResumeSaved {
    TorrentId id;
};
struct TorrentRemoved {
    TorrentId id;
};
// The torrent stopped because of a problem the user must act on (disk full, unwritable path,
// data that does not match when seeding). libtorrent has paused it. For a full disk or a path that
// is not writable the engine resumes it by itself once the save path looks usable again.
struct TorrentError {
    TorrentId id;
    std::string message;
    bool retrying = false;
};
// Something worth telling the user that does not stop anything (a tracker that fails, an alert
// queue overflow).
struct Warning {
    TorrentId id;  // empty for session-wide warnings
    std::string message;
};
// A piece of a streaming torrent (Engine::set_streaming) passed its hash check and was written:
// its bytes can be read from the file.
struct PieceFinished {
    TorrentId id;
    int piece = 0;
};
struct SessionStats {
    int download_rate = 0;  // payload bytes/s over all torrents
    int upload_rate = 0;
    std::int64_t downloaded = 0;
    std::int64_t uploaded = 0;
    int peers = 0;
};

}  // namespace event

using Event = std::variant<event::Listening, event::ListenFailed, event::TorrentAdded,
                           event::MetadataReceived, event::Checked, event::Progress,
                           event::Finished, event::PeerConnected, event::PeerDisconnected,
                           event::ResumeSaved, event::TorrentRemoved, event::TorrentError,
                           event::Warning, event::SessionStats, event::PieceFinished>;

}  // namespace lanetorrent
