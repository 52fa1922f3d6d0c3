// Shows a transfer's progress in the form that suits where stdout goes: a live progress bar on a
// terminal, one plain line per second in a pipe or log, or JSON lines for scripts and tests.
#pragma once

#include "lanes/lane_service.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/events.hpp"

namespace lanetorrent::cli {

class Reporter {
  public:
    enum class Style { terminal, plain, json };
    static Style style_for_stdout(bool json);

    explicit Reporter(Style style);

    void report(Event const& event);
    void lane_notice(lanes::LaneNotice const& notice);
    // The last line, always printed: what the run achieved.
    void done(int exit_code, std::int64_t downloaded, std::int64_t uploaded);

  private:
    double elapsed() const;
    void line(std::string const& text);  // a message that must not be overwritten by the bar
    void progress(TorrentProgress const& p);

    Style style_;
    std::chrono::steady_clock::time_point start_;
    bool bar_visible_ = false;
};

}  // namespace lanetorrent::cli
