// Shows a transfer's progress in the form that suits where stdout goes: a live progress bar on a
// terminal, one plain line per second in a pipe or log, or JSON lines for scripts and tests.
#pragma once

#include "lanes/lane_service.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/exit_codes.hpp"
#include "engine/events.hpp"

namespace lanetorrent::cli {

// On a terminal the bar is the last line: every message (its own lines, and warnings and errors
// on stderr through the StatusLine hook) clears it with \r ESC[K, prints, and draws it again,
// so the bar stays at the bottom while events scroll above it. In a pipe no escape is written.
class Reporter : private StatusLine {
  public:
    enum class Style { terminal, plain, json };
    static Style style_for_stdout(bool json);

    explicit Reporter(Style style);
    ~Reporter() override;
    Reporter(Reporter const&) = delete;
    Reporter& operator=(Reporter const&) = delete;

    void report(Event const& event);
    void lane_notice(lanes::LaneNotice const& notice);
    // `stream`: where the player reads the file, once it is published.
    void stream_ready(std::string const& url, std::string const& file, std::int64_t size);
    // `stream`: the buffer ahead of the player, once a second.
    struct Buffer {
        std::int64_t ahead_bytes = 0;
        double ahead_seconds = 0;
        std::int64_t read_offset = 0;
        double consumption_rate = 0;  // bytes/s
        bool starving = false;
        std::string lane;
        std::string reason;  // why `--lane auto` chose the lane
        std::int64_t spent = 0;
    };
    void buffer(Buffer const& b);
    // The last line, always printed: what the run achieved.
    void done(int exit_code, std::int64_t downloaded, std::int64_t uploaded);

  private:
    double elapsed() const;
    void line(std::string const& text);  // a message that must not be overwritten by the bar
    void progress(TorrentProgress const& p);
    void clear() override;   // the bar off its line, if it is shown
    void redraw() override;  // the last bar again, below what was printed

    Style style_;
    std::chrono::steady_clock::time_point start_;
    bool bar_visible_ = false;
    std::string bar_;  // the last bar drawn; empty before the first progress and after done()
};

}  // namespace lanetorrent::cli
