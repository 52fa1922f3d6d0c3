// `lanetorrent`: the desktop app. The command line is parsed and the profile's single-instance
// lock taken under a plain QCoreApplication, so --help, --version and forwarding to a running
// instance work without a display; only the first instance goes on to open a window.
#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <chrono>
#include <cstdio>
#include <memory>

#include "app/application.hpp"
#include "app/command_line.hpp"
#include "app/single_instance.hpp"
#include "app/translations.hpp"
#include "wallet/secret.hpp"

namespace {

using namespace lanetorrent;
using namespace lanetorrent::ui;

constexpr auto forward_timeout = std::chrono::seconds(20);  // a primary may still be starting

int fail(int code, std::string const& message) {
    std::fprintf(stderr, "lanetorrent: %s\n", message.c_str());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    // Before any passphrase is typed or key unlocked: no core file, no same-user ptrace.
    if (auto const guarded = wallet::keep_secrets_out_of_core_dumps(); !guarded) {
        std::fprintf(stderr, "lanetorrent: warning: %s\n", guarded.error().c_str());
    }
    QCoreApplication::setApplicationName(QStringLiteral("lanetorrent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LANETORRENT_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("LaneTorrent"));
    QGuiApplication::setDesktopFileName(QStringLiteral("lanetorrent"));

    CommandLine options;
    std::optional<Profile> profile;
    std::unique_ptr<SingleInstance> instance;
    {
        QCoreApplication const core(argc, argv);
        auto parsed = parse_command_line(QCoreApplication::arguments(), QDir::currentPath());
        if (!parsed) return fail(2, parsed.error() + " (see --help)");
        if (parsed->print_and_exit) {
            std::fputs(parsed->print_and_exit->toLocal8Bit().constData(), stdout);
            return 0;
        }
        options = std::move(parsed.value());
        profile = options.profile_dir.isEmpty()
                      ? Profile::from_environment()
                      : Profile::in_directory(options.profile_dir.toStdString());
        if (auto const created = profile->create_directories(); !created) {
            return fail(1, created.error());
        }
        auto claimed = SingleInstance::claim(*profile);
        if (!claimed) return fail(1, claimed.error());
        instance = std::move(claimed.value());
        if (instance->role() == SingleInstance::Role::secondary) {
            if (!options.screenshot_dir.isEmpty()) {
                return fail(1, "--screenshot needs a profile no instance is running on");
            }
            auto const sent = instance->forward(
                InstanceMessage{.sources = options.sources, .skip_dialog = options.skip_dialog},
                forward_timeout);
            return sent ? 0 : fail(1, sent.error());
        }
    }

    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/lanetorrent.svg")));
    // Before any window: widgets translate their texts as they are built.
    auto const locale = ui_locale(options.language);
    if (!options.language.isEmpty()) QLocale::setDefault(locale);  // numbers and dates follow
    install_translations(app, locale);
    // The tray keeps the app alive with every window hidden; only Quit (or a signal) ends it.
    QApplication::setQuitOnLastWindowClosed(false);
    int code = 0;
    {
        Application application(options, std::move(*profile), *instance);
        if (auto const started = application.start(); !started) {
            if (QGuiApplication::platformName() != QLatin1String("offscreen")) {
                QMessageBox::critical(nullptr, QStringLiteral("LaneTorrent"),
                                      QString::fromStdString(started.error()));
            }
            return fail(1, started.error());
        }
        code = QApplication::exec();
    }  // the Session saves resume data here
    return code;
}
