// The desktop app's command line: `lanetorrent [--profile DIR] [--minimized] [--skip-dialog]
// [--lang LANG] [magnet-or-torrent...]`. Parsed before any window exists, so a second launch can
// forward its sources without a display.
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

#include "base/result.hpp"

namespace lanetorrent::ui {

struct CommandLine {
    QString profile_dir;  // empty: the XDG locations
    bool minimized = false;
    bool skip_dialog = false;
    // --lang: the language of the window ("zh_CN"), instead of the system locale's.
    QString language;
    QStringList sources;  // magnet URIs and .torrent paths (made absolute)
    // Hidden, for scripts/screenshots: grab the windows into this directory, then quit.
    QString screenshot_dir;
    // --help or --version: the text to print on stdout, and nothing else to do.
    std::optional<QString> print_and_exit;
};

// `arguments` includes the program name first, as QCoreApplication::arguments() gives it. Relative
// .torrent paths are resolved against `working_dir`, since a running instance that receives them
// has its own.
Result<CommandLine> parse_command_line(QStringList const& arguments, QString const& working_dir);

}  // namespace lanetorrent::ui
