#include "app/command_line.hpp"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QUrl>

namespace lanetorrent::ui {
namespace {

// A magnet URI, a file:// URL (what some file managers pass for %U) or a path.
QString absolute_source(QString const& source, QDir const& working_dir) {
    if (source.startsWith(QLatin1String("magnet:"), Qt::CaseInsensitive)) return source;
    if (source.startsWith(QLatin1String("file://"), Qt::CaseInsensitive)) {
        return QUrl(source).toLocalFile();
    }
    return QDir::cleanPath(working_dir.absoluteFilePath(source));
}

}  // namespace

Result<CommandLine> parse_command_line(QStringList const& arguments, QString const& working_dir) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "LaneTorrent: a BitTorrent client with paid bandwidth lanes (BTT on Tron)."));
    auto const help = parser.addHelpOption();
    auto const version = parser.addVersionOption();
    QCommandLineOption const profile(
        QStringLiteral("profile"),
        QStringLiteral("Keep all settings and state under <dir> instead of the XDG locations."),
        QStringLiteral("dir"));
    QCommandLineOption const minimized(QStringLiteral("minimized"),
                                       QStringLiteral("Start hidden in the system tray."));
    QCommandLineOption const skip_dialog(
        QStringLiteral("skip-dialog"),
        QStringLiteral("Add the given torrents at once, without the add dialog."));
    QCommandLineOption const language(
        QStringLiteral("lang"),
        QStringLiteral("Show the window in <language> (such as zh_CN) instead of the system's."),
        QStringLiteral("language"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save screenshots to <dir> and quit."),
                                  QStringLiteral("dir"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({profile, minimized, skip_dialog, language, screenshot});
    parser.addPositionalArgument(QStringLiteral("sources"),
                                 QStringLiteral("Magnet links or .torrent files to add."),
                                 QStringLiteral("[magnet-or-torrent...]"));

    if (!parser.parse(arguments)) return Error{parser.errorText().toStdString()};
    CommandLine result;
    if (parser.isSet(help)) {
        result.print_and_exit = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.print_and_exit = QStringLiteral("%1 %2\n").arg(
            QCoreApplication::applicationName(), QCoreApplication::applicationVersion());
        return result;
    }
    QDir const cwd(working_dir);
    if (parser.isSet(profile)) {
        if (parser.value(profile).isEmpty()) return Error{"--profile needs a directory"};
        result.profile_dir = QDir::cleanPath(cwd.absoluteFilePath(parser.value(profile)));
    }
    if (parser.isSet(screenshot)) {
        result.screenshot_dir = QDir::cleanPath(cwd.absoluteFilePath(parser.value(screenshot)));
    }
    if (parser.isSet(language)) {
        if (parser.value(language).trimmed().isEmpty()) return Error{"--lang needs a language"};
        result.language = parser.value(language).trimmed();
    }
    result.minimized = parser.isSet(minimized);
    result.skip_dialog = parser.isSet(skip_dialog);
    for (auto const& source : parser.positionalArguments()) {
        if (!source.isEmpty()) result.sources << absolute_source(source, cwd);
    }
    return result;
}

}  // namespace lanetorrent::ui
