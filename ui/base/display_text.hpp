// Text someone else chose (a torrent's name, a file path, a tracker's URL and answer, a peer's
// client) as a view shows it: control characters and bidi overrides escaped, so a name cannot
// break a row into lines or make "gpj.exe" read "exe.jpg" (engine/printable_text.hpp). Models
// keep the original for sorting and filtering and apply this in their display and tooltip roles.
#pragma once

#include <QString>

namespace lanetorrent::ui {

QString display_text(QString const& text);

}  // namespace lanetorrent::ui
