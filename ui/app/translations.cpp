#include "app/translations.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

namespace lanetorrent::ui {

namespace {

// Loads the best catalogue named `prefix`_<lang>.qm in `directory` for `locale` (QTranslator
// tries each of the locale's uiLanguages: zh-Hans-CN, zh-CN, zh, ...), installed on success.
QString install_one(QCoreApplication& app, QLocale const& locale, QString const& prefix,
                    QString const& directory) {
    auto* translator = new QTranslator(&app);
    if (!translator->load(locale, prefix, QStringLiteral("_"), directory) ||
        !QCoreApplication::installTranslator(translator)) {
        delete translator;
        return {};
    }
    return translator->filePath();
}

}  // namespace

QLocale ui_locale(QString const& language) {
    if (language.trimmed().isEmpty()) return QLocale::system();
    return QLocale(language.trimmed());
}

InstalledTranslations install_translations(QCoreApplication& app, QLocale const& locale) {
    InstalledTranslations installed{locale, {}, {}};
    installed.app_catalogue = install_one(app, locale, QStringLiteral("lanetorrent"),
                                          QString::fromLatin1(app_catalogue_dir));
    // Qt's own strings (QDialogButtonBox's OK/Cancel, QMessageBox's Yes/No, the file dialog)
    // only where the app itself speaks the language: a half-translated window is worse.
    if (!installed.app_catalogue.isEmpty()) {
        installed.qt_catalogue = install_one(app, locale, QStringLiteral("qtbase"),
                                             QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    }
    return installed;
}

QStringList shipped_languages() {
    QStringList languages;
    auto const files =
        QDir(QString::fromLatin1(app_catalogue_dir))
            .entryList({QStringLiteral("lanetorrent_*.qm")}, QDir::Files, QDir::Name);
    for (auto const& file : files) {
        languages << file.mid(int(std::char_traits<char>::length("lanetorrent_")))
                         .chopped(int(std::char_traits<char>::length(".qm")));
    }
    return languages;
}

}  // namespace lanetorrent::ui
