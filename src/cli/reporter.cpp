#include "cli/reporter.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/format.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_text.hpp"
#include "engine/printable_text.hpp"

namespace lanetorrent::cli {

namespace {

nlohmann::json progress_json(TorrentProgress const& p) {
    return {{"id", p.id},
            {"state", to_string(p.state)},
            {"progress", p.progress},
            {"have_bytes", p.have_bytes},
            {"total_bytes", p.total_bytes},
            {"have_pieces", p.have_pieces},
            {"download_rate", p.download_rate},
            {"upload_rate", p.upload_rate},
            {"downloaded", p.downloaded},
            {"uploaded", p.uploaded},
            {"peers", p.peers},
            {"eta", p.eta_seconds ? nlohmann::json(*p.eta_seconds) : nlohmann::json()}};
}

// Every event as (name, fields) for JSON, plus a sentence for humans (empty: not worth a line).
struct Described {
    char const* name;
    nlohmann::json fields;
    std::string text;
};

Described describe(Event const& event) {
    using namespace event;
    return std::visit(
        [](auto const& e) -> Described {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Listening>) {
                return {"listening",
                        {{"address", e.address}, {"port", e.port}},
                        fmt::format("listening on {}:{}", e.address, e.port)};
            } else if constexpr (std::is_same_v<T, ListenFailed>) {
                return {"listen_failed",
                        {{"address", e.address}, {"port", e.port}, {"message", e.message}},
                        ""};
            } else if constexpr (std::is_same_v<T, TorrentAdded>) {
                return {"added",
                        {{"id", e.id}, {"name", e.name}},
                        fmt::format("added {} ({})", e.name.empty() ? e.id : e.name, e.id)};
            } else if constexpr (std::is_same_v<T, MetadataReceived>) {
                return {
                    "metadata",
                    {{"id", e.id}, {"name", e.name}, {"size", e.total_bytes}},
                    fmt::format("metadata received: {} ({})", e.name, format_bytes(e.total_bytes))};
            } else if constexpr (std::is_same_v<T, Checked>) {
                return {"checked",
                        {{"id", e.id},
                         {"have_bytes", e.have_bytes},
                         {"total_bytes", e.total_bytes},
                         {"have_pieces", e.have_pieces}},
                        fmt::format("checked: {} of {} present", format_bytes(e.have_bytes),
                                    format_bytes(e.total_bytes))};
            } else if constexpr (std::is_same_v<T, Progress>) {
                return {"progress", progress_json(e.status), ""};
            } else if constexpr (std::is_same_v<T, Finished>) {
                return {"finished",
                        {{"id", e.id}, {"downloaded", e.downloaded}},
                        "finished: every piece downloaded and hash-checked"};
            } else if constexpr (std::is_same_v<T, PeerConnected>) {
                return {"peer_connected",
                        {{"id", e.id}, {"peer", e.peer}, {"incoming", e.incoming}},
                        fmt::format("peer {} connected ({})", e.peer,
                                    e.incoming ? "incoming" : "outgoing")};
            } else if constexpr (std::is_same_v<T, PeerDisconnected>) {
                return {"peer_disconnected",
                        {{"id", e.id}, {"peer", e.peer}, {"reason", e.reason}},
                        fmt::format("peer {} disconnected: {}", e.peer, e.reason)};
            } else if constexpr (std::is_same_v<T, ResumeSaved>) {
                return {"resume_saved", {{"id", e.id}}, ""};
            } else if constexpr (std::is_same_v<T, TorrentRemoved>) {
                return {"removed", {{"id", e.id}}, ""};
            } else if constexpr (std::is_same_v<T, TorrentError>) {
                return {
                    "error", {{"id", e.id}, {"message", e.message}, {"retrying", e.retrying}}, ""};
            } else if constexpr (std::is_same_v<T, Warning>) {
                return {"warning", {{"id", e.id}, {"message", e.message}}, ""};
            } else if constexpr (std::is_same_v<T, PieceFinished>) {
                return {"piece", {{"id", e.id}, {"piece", e.piece}}, ""};
            } else {
                static_assert(std::is_same_v<T, SessionStats>);
                return {"stats",
                        {{"download_rate", e.download_rate},
                         {"upload_rate", e.upload_rate},
                         {"peers", e.peers}},
                        ""};
            }
        },
        event);
}

}  // namespace

Reporter::Style Reporter::style_for_stdout(bool json) {
    if (json) return Style::json;
    return ::isatty(STDOUT_FILENO) ? Style::terminal : Style::plain;
}

Reporter::Reporter(Style style) : style_(style), start_(std::chrono::steady_clock::now()) {
    if (style_ == Style::terminal) set_status_line(this);
}

Reporter::~Reporter() {
    if (style_ == Style::terminal) set_status_line(nullptr);
}

void Reporter::clear() {
    if (!bar_visible_) return;
    fmt::print("\r\x1b[K");
    std::fflush(stdout);  // before a message on stderr, which is not buffered
    bar_visible_ = false;
}

void Reporter::redraw() {
    if (style_ == Style::terminal && !bar_.empty() && !bar_visible_) {
        fmt::print("{}", bar_);
        bar_visible_ = true;
    }
    std::fflush(stdout);
}

double Reporter::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

// Lines quote names, peers and trackers' answers, so control characters in them are escaped here
// (warnings and errors are, in warn() and fail()).
void Reporter::line(std::string const& text) {
    clear();
    fmt::print("{}\n", printable_text(text));
    redraw();
}

void Reporter::progress(TorrentProgress const& p) {
    auto const summary =
        fmt::format("{:5.1f}%  down {:>11}  up {:>11}  peers {}  eta {}", p.progress * 100,
                    format_rate(p.download_rate), format_rate(p.upload_rate), p.peers,
                    p.eta_seconds ? format_duration(*p.eta_seconds) : "-");
    if (style_ == Style::plain) return line(summary);
    constexpr int width = 30;
    int const filled = static_cast<int>(p.progress * width);
    bar_ = fmt::format("[{}{}] {}", std::string(filled, '#'), std::string(width - filled, '.'),
                       summary);
    fmt::print("\r\x1b[K{}", bar_);
    std::fflush(stdout);
    bar_visible_ = true;
}

void Reporter::report(Event const& event) {
    // One per piece of a streaming torrent: the stream's bookkeeping, not news for the user.
    if (std::holds_alternative<event::PieceFinished>(event)) return;
    auto const d = describe(event);
    if (style_ == Style::json) {
        auto object = d.fields;
        object["event"] = d.name;
        object["t"] = std::round(elapsed() * 1000) / 1000;
        fmt::print("{}\n", json_text(object));
        std::fflush(stdout);
        return;
    }
    // Errors and warnings go to stderr whatever the style; the caller decides which are fatal.
    if (auto const* w = std::get_if<event::Warning>(&event)) return warn(w->message);
    // A fatal error is the caller's last line; one the engine retries is told as it happens.
    if (auto const* e = std::get_if<event::TorrentError>(&event); e && e->retrying) {
        return warn(e->message);
    }
    if (auto const* p = std::get_if<event::Progress>(&event)) return progress(p->status);
    if (!d.text.empty()) line(d.text);
}

void Reporter::lane_notice(lanes::LaneNotice const& notice) {
    static constexpr char const* kinds[] = {"lane", "iou", "settlement", "rejected", "lane_error"};
    auto const kind = kinds[static_cast<int>(notice.kind)];
    if (style_ == Style::json) {
        nlohmann::json object{{"event", kind},
                              {"t", std::round(elapsed() * 1000) / 1000},
                              {"torrent", notice.torrent},
                              {"peer", notice.peer},
                              {"text", notice.text}};
        if (!notice.txid.empty()) object["txid"] = notice.txid;
        fmt::print("{}\n", json_text(object));
        std::fflush(stdout);
        return;
    }
    if (notice.kind == lanes::LaneNotice::Kind::iou) return;  // one per MiB: too chatty
    auto text =
        fmt::format("{}: {}{}", kind, notice.peer.empty() ? "" : notice.peer + " ", notice.text);
    if (!notice.txid.empty()) text += " (" + notice.txid + ")";
    line(text);
}

void Reporter::stream_ready(std::string const& url, std::string const& file, std::int64_t size) {
    if (style_ == Style::json) {
        fmt::print("{}\n", json_text(nlohmann::json{{"event", "stream"},
                                                    {"t", std::round(elapsed() * 1000) / 1000},
                                                    {"url", url},
                                                    {"file", file},
                                                    {"size", size}}));
        std::fflush(stdout);
        return;
    }
    line(fmt::format("streaming {} ({}) at {}", file, format_bytes(size), url));
}

void Reporter::buffer(Buffer const& b) {
    if (style_ == Style::json) {
        fmt::print("{}\n", json_text(nlohmann::json{{"event", "buffer"},
                                                    {"t", std::round(elapsed() * 1000) / 1000},
                                                    {"ahead_bytes", b.ahead_bytes},
                                                    {"ahead_seconds", b.ahead_seconds},
                                                    {"read_offset", b.read_offset},
                                                    {"consumption_rate", b.consumption_rate},
                                                    {"starving", b.starving},
                                                    {"lane", b.lane},
                                                    {"reason", b.reason},
                                                    {"spent", b.spent}}));
        std::fflush(stdout);
        return;
    }
    // On a terminal the progress bar already shows the download; the buffer joins it as a line
    // only when it changes the story: starving.
    if (b.starving) {
        line(fmt::format("waiting for data at {} ({} lane)", format_bytes(b.read_offset), b.lane));
    }
}

void Reporter::done(int exit_code, std::int64_t downloaded, std::int64_t uploaded) {
    if (style_ == Style::json) {
        fmt::print("{}\n", json_text(nlohmann::json{{"event", "done"},
                                                    {"t", std::round(elapsed() * 1000) / 1000},
                                                    {"exit_code", exit_code},
                                                    {"downloaded", downloaded},
                                                    {"uploaded", uploaded},
                                                    {"seconds", elapsed()}}));
    } else {
        bar_.clear();  // the run is over: the summary is the last line
        line(fmt::format("{} downloaded, {} uploaded in {:.1f} s", format_bytes(downloaded),
                         format_bytes(uploaded), elapsed()));
    }
    std::fflush(stdout);
}

}  // namespace lanetorrent::cli
