// The app's language: Qt Linguist catalogues (ui/translations/lanetorrent_<lang>.ts, compiled to
// .qm and embedded under :/translations) and Qt's own qtbase_<lang>.qm for the standard dialogs'
// buttons, when the system has them. The locale is the system's (LC_ALL, LC_MESSAGES, LANG, and
// LANGUAGE's list of preferences), or the one --lang names.
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace lanetorrent::ui {

// Where the app's own catalogues are: compiled into the executable.
inline constexpr char const* app_catalogue_dir = ":/translations";

// The locale to translate to: `language` ("zh_CN", "de") when given, else the system's.
QLocale ui_locale(QString const& language);

struct InstalledTranslations {
    QLocale locale;
    QString app_catalogue;  // the .qm loaded for LaneTorrent's strings, empty if none matched
    QString qt_catalogue;   // the qtbase .qm loaded, empty if none matched
};

// Loads and installs both catalogues for `locale` into `app` (the translators are its children,
// so they live as long as it does). English needs none: the sources are English.
InstalledTranslations install_translations(QCoreApplication& app, QLocale const& locale);

// The languages the app ships a catalogue for ("zh_CN", ...), for --help and the docs.
QStringList shipped_languages();

}  // namespace lanetorrent::ui
