#include "base/autostart.hpp"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStringList>

namespace lanetorrent::ui {
namespace {

// The Desktop Entry spec's Exec quoting: an argument with reserved characters goes in double
// quotes, with ", `, $ and \ escaped inside.
QString quote_exec_argument(QString const& argument) {
    static QString const reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    bool const plain =
        !argument.isEmpty() && std::none_of(argument.begin(), argument.end(),
                                            [](QChar c) { return reserved.contains(c); });
    if (plain) return argument;
    QString quoted;
    for (QChar const c : argument) {
        if (c == '"' || c == '`' || c == '$' || c == '\\') quoted += '\\';
        quoted += c;
    }
    // In a .desktop file's string value a backslash is itself escaped once more.
    quoted.replace(QLatin1String("\\"), QLatin1String("\\\\"));
    return '"' + quoted + '"';
}

}  // namespace

QString autostart_entry_path() {
    auto config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || QDir::isRelativePath(config)) {
        config = QDir::homePath() + QStringLiteral("/.config");
    }
    return config + QStringLiteral("/autostart/lanetorrent.desktop");
}

bool autostart_enabled() {
    return QFile::exists(autostart_entry_path());
}

Status set_autostart(bool on, QString const& program, QString const& profile_dir) {
    auto const path = autostart_entry_path();
    if (!on) {
        if (QFile::exists(path) && !QFile::remove(path)) {
            return Error{"cannot remove " + path.toStdString()};
        }
        return Ok{};
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return Error{"cannot create " + QFileInfo(path).absolutePath().toStdString()};
    }
    QStringList exec{quote_exec_argument(program), QStringLiteral("--minimized")};
    if (!profile_dir.isEmpty())
        exec << QStringLiteral("--profile") << quote_exec_argument(profile_dir);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return Error{"cannot write " + path.toStdString() + ": " +
                     file.errorString().toStdString()};
    }
    QString const text = QStringLiteral(
                             "[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=LaneTorrent\n"
                             "Comment=Keep seeding in the tray after login\n"
                             "Exec=%1\n"
                             "Icon=lanetorrent\n"
                             "Terminal=false\n"
                             "X-GNOME-Autostart-enabled=true\n")
                             .arg(exec.join(' '));
    file.write(text.toUtf8());
    if (!file.commit()) {
        return Error{"cannot write " + path.toStdString() + ": " +
                     file.errorString().toStdString()};
    }
    return Ok{};
}

}  // namespace lanetorrent::ui
