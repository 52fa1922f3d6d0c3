#include "base/display_text.hpp"

#include "engine/printable_text.hpp"

namespace lanetorrent::ui {

QString display_text(QString const& text) {
    QByteArray const utf8 = text.toUtf8();
    return QString::fromStdString(
        printable_text({utf8.constData(), static_cast<std::size_t>(utf8.size())}));
}

}  // namespace lanetorrent::ui
