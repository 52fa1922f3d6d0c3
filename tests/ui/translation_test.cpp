// Translations (issue 15): the Simplified Chinese catalogue is complete for the sources as they
// are now (a real lupdate over ui/ into a copy of the .ts), and with it loaded the real main
// window, its dialogs, the wallet page, the player and the tray menu show no English left over.
#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QToolBar>
#include <QTranslator>
#include <QXmlStreamReader>
#include <fstream>
#include <set>

#include "app/command_line.hpp"
#include "app/translations.hpp"
#include "base/torrent_list_model.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "gui/add_torrent_dialog.hpp"
#include "gui/earnings_chart.hpp"
#include "gui/keystore_dialog.hpp"
#include "gui/main_window.hpp"
#include "gui/player_window.hpp"
#include "gui/send_dialog.hpp"
#include "gui/settings_dialog.hpp"
#include "gui/tray_icon.hpp"
#include "gui/wallet_page.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

using namespace std::chrono_literals;
using lanetorrent::test::TempDir;
using test::becomes_seed;
using test::make_torrent;
using test::pump_until;
using test::TestProfile;

// ---- the catalogue itself ----

struct CatalogueMessage {
    QString context;
    QString source;
    QStringList translations;  // one, or one per plural form
    bool unfinished = false;
    QString location;
};

std::vector<CatalogueMessage> read_catalogue(QString const& path) {
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    std::vector<CatalogueMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    QString file_name;  // relative locations name their file only when it changes
    CatalogueMessage message;
    bool numerus = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        auto const name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = CatalogueMessage{context, {}, {}, false, {}};
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("location")) {
            auto const attributes = xml.attributes();
            if (attributes.hasAttribute(QLatin1String("filename"))) {
                file_name = attributes.value(QLatin1String("filename")).toString();
            }
            if (message.location.isEmpty()) message.location = file_name;
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            auto const type = xml.attributes().value(QLatin1String("type")).toString();
            message.unfinished = type == QLatin1String("unfinished");
            if (numerus) {
                while (!xml.atEnd() && !(xml.readNext() == QXmlStreamReader::EndElement &&
                                         xml.name() == QLatin1String("translation"))) {
                    if (xml.isStartElement()) message.translations << xml.readElementText();
                }
            } else {
                message.translations << xml.readElementText();
            }
            if (type != QLatin1String("vanished") && type != QLatin1String("obsolete")) {
                messages.push_back(message);
            }
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return messages;
}

// The %1..%99 and %n of a text, sorted: a translation must keep every one of the source's.
QStringList placeholders(QString const& text) {
    static QRegularExpression const pattern(QStringLiteral("%(\\d{1,2}|n)"));
    QStringList found;
    for (auto const& match : pattern.globalMatch(text)) found << match.captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

int accelerators(QString const& text) {
    static QRegularExpression const pattern(QStringLiteral("&(?!&)\\w"));
    int count = 0;
    for (auto it = pattern.globalMatch(text); it.hasNext(); it.next()) ++count;
    return count;
}

// lupdate, run over the sources as they are now into a copy of the committed catalogue, finds no
// string without its translation: a string added to ui/ without one fails here, by name.
TEST(ChineseCatalogue, LupdateFindsEveryStringTranslated) {
    TempDir dir{"ui-translation"};
    auto const copy = QString::fromStdString((dir.path() / "lanetorrent_zh_CN.ts").string());
    ASSERT_TRUE(QFile::copy(QStringLiteral(LANETORRENT_ZH_CN_TS), copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(
        QStringLiteral(LANETORRENT_LUPDATE),
        {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("relative"),
         QStringLiteral(LANETORRENT_UI_DIR), QStringLiteral("-ts"), copy});
    ASSERT_TRUE(lupdate.waitForFinished(60'000)) << lupdate.errorString().toStdString();
    auto const output = QString::fromLocal8Bit(lupdate.readAll());
    ASSERT_EQ(lupdate.exitCode(), 0) << output.toStdString();

    auto const messages = read_catalogue(copy);
    ASSERT_GT(messages.size(), 300u) << "lupdate found too few strings:\n" << output.toStdString();
    std::vector<std::string> problems;
    for (auto const& m : messages) {
        auto const where = m.context + QStringLiteral(" (") + m.location + QStringLiteral("): \"") +
                           m.source + QLatin1Char('"');
        bool empty = m.translations.isEmpty();
        for (auto const& t : m.translations) empty = empty || t.trimmed().isEmpty();
        if (m.unfinished || empty) {
            problems.push_back("untranslated: " + where.toStdString());
            continue;
        }
        for (auto const& t : m.translations) {
            if (placeholders(t) != placeholders(m.source)) {
                problems.push_back("placeholders differ: " + where.toStdString() + " -> \"" +
                                   t.toStdString() + "\"");
            }
            if (accelerators(t) != accelerators(m.source)) {
                problems.push_back("accelerator lost or added: " + where.toStdString() + " -> \"" +
                                   t.toStdString() + "\"");
            }
        }
    }
    for (auto const& p : problems) ADD_FAILURE() << p;
    EXPECT_TRUE(problems.empty()) << problems.size() << " of " << messages.size()
                                  << " messages need work; lupdate said:\n"
                                  << output.toStdString();
}

TEST(ChineseCatalogue, LangOptionChoosesTheLanguage) {
    auto parsed = parse_command_line(
        {QStringLiteral("lanetorrent"), QStringLiteral("--lang"), QStringLiteral("zh_CN")},
        QDir::currentPath());
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->language, QStringLiteral("zh_CN"));
    EXPECT_EQ(ui_locale(parsed->language).name(), QStringLiteral("zh_CN"));
    EXPECT_FALSE(parse_command_line({QStringLiteral("lanetorrent"), QStringLiteral("--lang=")},
                                    QDir::currentPath()));
    EXPECT_TRUE(shipped_languages().contains(QStringLiteral("zh_CN")));
}

// ---- the windows with the catalogue loaded ----

// Latin words a Chinese window may show as they are: names of the token, the chain, programs and
// standards, units, and "Tracker" (how qBittorrent's and Transmission's Chinese say it).
std::set<QString> const allowed_words = {
    QStringLiteral("BTT"),
    QStringLiteral("TRX"),
    QStringLiteral("Tron"),
    QStringLiteral("TRON"),
    QStringLiteral("TronGrid"),
    QStringLiteral("LaneTorrent"),
    QStringLiteral("Nile"),
    QStringLiteral("Shasta"),
    QStringLiteral("gRPC"),
    QStringLiteral("TLS"),
    QStringLiteral("API"),
    QStringLiteral("CSV"),
    QStringLiteral("mpv"),
    QStringLiteral("VLC"),
    QStringLiteral("libmpv"),
    QStringLiteral("GNOME"),
    QStringLiteral("Keyring"),
    QStringLiteral("KWallet"),
    QStringLiteral("Tracker"),
    QStringLiteral("Ctrl"),
    QStringLiteral("UTC"),
    QStringLiteral("KiB"),
    QStringLiteral("MiB"),
    QStringLiteral("GiB"),
    QStringLiteral("TiB"),
    QStringLiteral("TRON-PRO-API-KEY"),
    // Network terms a Chinese BitTorrent client shows as they are.
    QStringLiteral("DHT"),
    QStringLiteral("PeX"),
    QStringLiteral("UPnP"),
    QStringLiteral("NAT-PMP"),
    QStringLiteral("SOCKS"),
    QStringLiteral("HTTP"),
};

// What of `text` is English: Latin words that are not names, units, URLs, file patterns, host
// names, addresses, accelerators or single letters (a key: "(M)", or "T…").
QString english_in(QString text) {
    if (Qt::mightBeRichText(text)) text = QTextDocumentFragment::fromHtml(text).toPlainText();
    static QRegularExpression const noise(
        QStringLiteral("\\(&\\w\\)"                      // 文件(&F)
                       "|\\w+://\\S+"                    // URLs
                       "|\\*\\.\\w+"                     // *.torrent
                       "|[\\w-]+\\.[A-Za-z0-9]{1,5}\\b"  // file names: content.bin
                       "|[\\w.-]*lanetorrent[\\w.-]*"    // program, file and host names
                       "|java-tron"
                       "|\\b[\\w.-]+:\\d+\\b"              // host:port
                       "|\\bT[1-9A-HJ-NP-Za-km-z]{33}\\b"  // a Tron address
                       "|\\b[0-9a-fA-F]{40}\\b"            // an info-hash
                       "|\\b\\d+(\\.\\d+)?\\s?(B|KiB|MiB|GiB|TiB)(/s)?\\b"));
    text.remove(noise);
    static QRegularExpression const word(QStringLiteral("[A-Za-z][A-Za-z-]*[A-Za-z]"));
    QStringList english;
    for (auto const& match : word.globalMatch(text)) {
        if (!allowed_words.contains(match.captured())) english << match.captured();
    }
    return english.join(QLatin1Char(' '));
}

class ChineseWindows : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // As `lanetorrent --lang zh_CN` does before any window.
        QLocale::setDefault(QLocale(QStringLiteral("zh_CN")));
        auto const installed =
            install_translations(*QCoreApplication::instance(), ui_locale(QStringLiteral("zh_CN")));
        app_catalogue_ = installed.app_catalogue;
        qt_catalogue_ = installed.qt_catalogue;
    }

    void SetUp() override {
        ASSERT_FALSE(app_catalogue_.isEmpty()) << "no lanetorrent_zh_CN.qm under :/translations";
        profile_ = std::make_unique<TestProfile>(dir_.path());
        profile_->settings->set_close_to_tray(false);
        session_ = profile_->open();
        wallet_ = std::make_unique<WalletService>(profile_->profile, *profile_->settings);
    }
    void TearDown() override {
        wallet_.reset();
        session_.reset();
    }

    // Every text a person sees on `root` and its children that has English left, with where.
    static QStringList english_texts(QWidget& root) {
        QStringList found;
        auto check = [&](QObject const* object, char const* kind, QString const& text) {
            if (text.trimmed().isEmpty()) return;
            auto const english = english_in(text);
            if (english.isEmpty()) return;
            auto name = object->objectName();
            if (name.isEmpty()) name = QString::fromLatin1(object->metaObject()->className());
            found << QStringLiteral("%1 %2 \"%3\" (English: %4)")
                         .arg(name, QString::fromLatin1(kind), text, english);
        };
        auto check_widget = [&](QWidget* w) {
            check(w, "window title", w->isWindow() ? w->windowTitle() : QString());
            check(w, "tooltip", w->toolTip());
            if (auto* label = qobject_cast<QLabel*>(w)) check(w, "label", label->text());
            if (auto* button = qobject_cast<QAbstractButton*>(w))
                check(w, "button", button->text());
            if (auto* box = qobject_cast<QGroupBox*>(w)) check(w, "group box", box->title());
            if (auto* menu = qobject_cast<QMenu*>(w)) check(w, "menu", menu->title());
            if (auto* bar = qobject_cast<QToolBar*>(w)) check(w, "toolbar", bar->windowTitle());
            if (auto* edit = qobject_cast<QLineEdit*>(w)) {
                check(w, "placeholder", edit->placeholderText());
            }
            if (auto* spin = qobject_cast<QAbstractSpinBox*>(w)) {
                check(w, "special value", spin->specialValueText());
            }
            if (auto* spin = qobject_cast<QSpinBox*>(w)) check(w, "suffix", spin->suffix());
            if (auto* spin = qobject_cast<QDoubleSpinBox*>(w)) check(w, "suffix", spin->suffix());
            if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
                for (int i = 0; i < tabs->count(); ++i) {
                    check(w, "tab", tabs->tabText(i));
                    check(w, "tab tooltip", tabs->tabToolTip(i));
                }
            }
            if (auto* combo = qobject_cast<QComboBox*>(w)) {
                for (int i = 0; i < combo->count(); ++i) check(w, "combo item", combo->itemText(i));
            }
            if (auto* list = qobject_cast<QListWidget*>(w)) {
                for (int i = 0; i < list->count(); ++i)
                    check(w, "list item", list->item(i)->text());
            }
            if (auto* view = qobject_cast<QAbstractItemView*>(w); view && view->model()) {
                auto const* model = view->model();
                for (int c = 0; c < model->columnCount(); ++c) {
                    check(w, "column header", model->headerData(c, Qt::Horizontal).toString());
                }
            }
        };
        check_widget(&root);
        for (auto* w : root.findChildren<QWidget*>()) check_widget(w);
        for (auto* action : root.findChildren<QAction*>()) {
            check(action, "action", action->text());
            check(action, "action tooltip", action->toolTip());
            if (auto* menu = action->menu()) check(menu, "menu", menu->title());
        }
        return found;
    }

    static void expect_no_english(QWidget& root, std::string const& what) {
        auto const found = english_texts(root);
        for (auto const& line : found) ADD_FAILURE() << what << ": " << line.toStdString();
        EXPECT_TRUE(found.isEmpty()) << what << ": " << found.size() << " English texts";
    }

    TempDir dir_{"ui-translation"};
    std::unique_ptr<TestProfile> profile_;
    std::unique_ptr<Session> session_;
    std::unique_ptr<WalletService> wallet_;
    static inline QString app_catalogue_;
    static inline QString qt_catalogue_;
};

TEST_F(ChineseWindows, CataloguesLoadForTheLocale) {
    EXPECT_TRUE(app_catalogue_.startsWith(QLatin1String(":/translations/lanetorrent_zh_CN")))
        << app_catalogue_.toStdString();
    EXPECT_EQ(QCoreApplication::translate("lanetorrent::ui::MainWindow", "Torrents"),
              QStringLiteral("种子"));
    EXPECT_EQ(state_text(TorrentState::seeding), QStringLiteral("做种中"));
    EXPECT_EQ(QCoreApplication::translate("lanetorrent::ui::MainWindow",
                                          "Remove %n torrent(s) from the list?", nullptr, 3),
              QStringLiteral("要从列表中删除 3 个种子吗？"));
    // Qt's own buttons (OK, Cancel) follow when the system has qtbase's catalogue.
    if (QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) +
                      QStringLiteral("/qtbase_zh_CN.qm"))) {
        EXPECT_FALSE(qt_catalogue_.isEmpty());
    }
    EXPECT_EQ(english_in(QStringLiteral("下载 2.5 MiB/s，Tracker udp://t.example:6969/announce")),
              QString());
    EXPECT_EQ(english_in(QStringLiteral("Add torrent")), QStringLiteral("Add torrent"));
}

// The walk is not blind: without the catalogue the same dialog is English throughout.
TEST_F(ChineseWindows, WithoutTheCatalogueTheWalkFindsEnglish) {
    auto const translators = QCoreApplication::instance()->findChildren<QTranslator*>();
    ASSERT_FALSE(translators.isEmpty());
    for (auto* t : translators) QCoreApplication::removeTranslator(t);
    QStringList found;
    {
        SettingsDialog english(*profile_->settings, session_.get());
        found = english_texts(english);
    }
    for (auto* t : translators) QCoreApplication::installTranslator(t);
    auto const all = found.join(QLatin1Char('\n')).toStdString();
    EXPECT_GT(found.size(), 30) << all;
    EXPECT_NE(all.find("Default lane:"), std::string::npos) << all;
    SettingsDialog chinese(*profile_->settings, session_.get());
    EXPECT_TRUE(english_texts(chinese).isEmpty());
}

TEST_F(ChineseWindows, MainWindowAndWalletPageShowNoEnglish) {
    auto const made = make_torrent(dir_.path(), "seeded.bin", 100'000, 7);
    profile_->settings->set_default_save_path(QString::fromStdString(dir_.path().string()));
    MainWindow window(*session_, *wallet_, *profile_->settings);
    window.show();
    window.addSource(QString::fromStdString(made.torrent_file.string()), true);
    ASSERT_TRUE(becomes_seed(*session_, made.id));
    window.select_torrent(made.id);
    auto* model = window.torrent_model();
    ASSERT_TRUE(pump_until([&] { return model->rowCount() == 1; }, 10s));
    QApplication::processEvents();
    expect_no_english(window, "main window");
    // The torrent's row: every cell but its name (which is the file's).
    for (int c = 0; c < model->columnCount(); ++c) {
        if (c == TorrentListModel::name) continue;
        auto const text = model->index(0, c).data().toString();
        EXPECT_EQ(english_in(text), QString())
            << "torrent list column " << c << ": " << text.toStdString();
    }
    window.showWalletPage();
    QApplication::processEvents();
    expect_no_english(window, "main window on the wallet page");
    // The earnings chart draws its texts itself: title, legend (the series) and day labels.
    auto const charts = window.findChildren<EarningsChart*>();
    ASSERT_FALSE(charts.isEmpty());
    for (auto* chart : charts) {
        QStringList texts = chart->categories();
        texts << chart->chart()->title();
        for (auto* series : chart->chart()->series()) {
            texts << series->name();
            if (auto* bars = qobject_cast<QBarSeries*>(series)) {
                for (auto* bar_set : bars->barSets()) texts << bar_set->label();
            }
        }
        ASSERT_FALSE(chart->categories().isEmpty());
        for (auto const& text : texts) {
            EXPECT_EQ(english_in(text), QString()) << "earnings chart: " << text.toStdString();
        }
    }
}

TEST_F(ChineseWindows, DialogsShowNoEnglish) {
    auto const made = make_torrent(dir_.path(), "content.bin", 70'000, 3);
    auto const source = QString::fromStdString(made.torrent_file.string());
    auto description = AddTorrentDialog::describe_source(source);
    ASSERT_TRUE(description) << description.error();
    AddTorrentDialog add(source, *description, *session_, *wallet_, *profile_->settings,
                         std::nullopt);
    expect_no_english(add, "add dialog");

    auto const magnet =
        QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x");
    auto magnet_description = AddTorrentDialog::describe_source(magnet);
    ASSERT_TRUE(magnet_description) << magnet_description.error();
    AddTorrentDialog add_magnet(magnet, *magnet_description, *session_, *wallet_,
                                *profile_->settings, std::nullopt);
    expect_no_english(add_magnet, "add dialog for a magnet");

    SettingsDialog settings(*profile_->settings, session_.get());
    expect_no_english(settings, "settings dialog");

    for (auto mode : {KeystoreDialog::Mode::create, KeystoreDialog::Mode::import_key,
                      KeystoreDialog::Mode::unlock}) {
        KeystoreDialog keystore(*wallet_, mode);
        expect_no_english(keystore, "keystore dialog " + std::to_string(int(mode)));
    }
    SendDialog send(*wallet_, QStringLiteral("BTT"), 6);
    expect_no_english(send, "send dialog");

    WalletPage page(*wallet_, session_.get());
    expect_no_english(page, "wallet page");

    TrayIcon tray(*session_, *profile_->settings);
    expect_no_english(tray.menu(), "tray menu");
    EXPECT_EQ(english_in(TrayIcon::tooltip({})), QString()) << TrayIcon::tooltip({}).toStdString();

    MediaPlayer::Options no_output;
    no_output.video = false;
    no_output.audio = false;
    PlayerWindow player(no_output);
    expect_no_english(player, "player window");
}

}  // namespace
}  // namespace lanetorrent::ui
