// "Start on login": the XDG autostart entry $XDG_CONFIG_HOME/autostart/lanetorrent.desktop
// (~/.config when the variable is unset, empty or not absolute, as the base directory spec says).
// Desktop sessions run it at login; it starts the app hidden in the tray.
#pragma once

#include <QString>

#include "base/result.hpp"

namespace lanetorrent::ui {

QString autostart_entry_path();
bool autostart_enabled();

// Writes the entry, running `program --minimized` (plus `--profile DIR` when `profile_dir` is not
// empty), or removes it. Removing an entry that does not exist is not an error.
Status set_autostart(bool on, QString const& program = QStringLiteral("lanetorrent"),
                     QString const& profile_dir = {});

}  // namespace lanetorrent::ui
