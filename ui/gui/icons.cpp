#include "gui/icons.hpp"

namespace lanetorrent::ui {

QIcon themed_icon(QString const& freedesktop_name) {
    return QIcon::fromTheme(freedesktop_name, QIcon(QStringLiteral(":/icons/") + freedesktop_name +
                                                    QStringLiteral(".svg")));
}

}  // namespace lanetorrent::ui
