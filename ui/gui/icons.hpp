// Toolbar and menu icons: the desktop's icon theme first (freedesktop names, so they match the
// rest of the desktop, light or dark), else the SVGs bundled under :/icons (resources/icons), so a
// desktop without a theme, or one missing a name, still shows a picture rather than text only.
#pragma once

#include <QIcon>
#include <QString>

namespace lanetorrent::ui {

QIcon themed_icon(QString const& freedesktop_name);

}  // namespace lanetorrent::ui
