#include "gui/main_window.hpp"

#include <QActionGroup>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <set>

#include "base/app_settings.hpp"
#include "base/format.hpp"
#include "base/torrent_filter_model.hpp"
#include "base/torrent_list_model.hpp"
#include "base/torrent_sources.hpp"
#include "base/wallet_service.hpp"
#include "gui/add_torrent_dialog.hpp"
#include "gui/details_pane.hpp"
#include "gui/icons.hpp"
#include "gui/player_window.hpp"
#include "gui/progress_delegate.hpp"
#include "gui/settings_dialog.hpp"
#include "gui/wallet_page.hpp"

namespace lanetorrent::ui {

namespace {

constexpr char const* kGeometry = "window/geometry";
constexpr char const* kState = "window/state";
constexpr char const* kHeader = "window/torrent_header";

TorrentId id_of(QModelIndex const& index) {
    return index.data(TorrentListModel::IdRole).toString().toStdString();
}

}  // namespace

MainWindow::MainWindow(Session& session, WalletService& wallet, AppSettings& settings,
                       QWidget* parent)
    : QMainWindow(parent), session_(session), wallet_(wallet), settings_(settings) {
    setWindowTitle("LaneTorrent");
    setAcceptDrops(true);
    create_actions();

    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    torrent_page_ = create_torrent_page();
    tabs_->addTab(torrent_page_, tr("Torrents"));
    wallet_page_ = new WalletPage(wallet_, &session_, tabs_);
    tabs_->addTab(wallet_page_, tr("Wallet"));
    setCentralWidget(tabs_);
    create_menus();

    rates_ = new QLabel(this);
    earned_ = new QLabel(this);
    statusBar()->addPermanentWidget(rates_);
    statusBar()->addPermanentWidget(earned_);

    connect(&session_, &Session::torrentsUpdated, this, &MainWindow::refresh);
    connect_streams();
    connect(details_, &DetailsPane::playFileRequested, this,
            [this](TorrentId const& id, int file) { play(id, file); });
    connect(&session_, &Session::torrentRemoved, this, [this] { refresh(); });
    // Passing trouble (a port in use, a tracker error) goes to the status bar; blocking dialogs
    // are for what the user just asked for.
    connect(&session_, &Session::warning, this,
            [this](QString const& message) { statusBar()->showMessage(message, 15'000); });
    // A node outage holds every settlement, so it stays in view until the node answers again.
    node_down_ = new QLabel(this);
    node_down_->setObjectName("nodeDown");
    node_down_->setStyleSheet("color: #b00020;");
    node_down_->hide();
    statusBar()->addPermanentWidget(node_down_);
    connect(&session_, &Session::nodeStatusChanged, this,
            [this](bool answers, QString const& message) {
                node_down_->setVisible(!answers);
                node_down_->setText(answers ? QString() : message);
                node_down_->setToolTip(answers ? QString() : message);
                if (answers) statusBar()->showMessage(message, 15'000);
            });
    connect(&session_, &Session::torrentError, this, [this](QString const&, QString const& text) {
        statusBar()->showMessage(text, 15'000);
    });
    connect(&wallet_, &WalletService::balancesChanged, this,
            [this](qint64, qint64 token_units) { token_balance_ = token_units; });

    auto& raw = settings_.raw();
    if (!restoreGeometry(raw.value(kGeometry).toByteArray())) resize(1100, 700);
    restoreState(raw.value(kState).toByteArray());
    view_->horizontalHeader()->restoreState(raw.value(kHeader).toByteArray());
    refresh();
}

MainWindow::~MainWindow() {
    auto& raw = settings_.raw();
    raw.setValue(kGeometry, saveGeometry());
    raw.setValue(kState, saveState());
    raw.setValue(kHeader, view_->horizontalHeader()->saveState());
    // Players are windows of their own; they end with the app's main window.
    for (auto& [id, window] : players_) delete window.data();
}

void MainWindow::create_actions() {
    auto make = [this](QString const& text, QString const& icon, QKeySequence const& keys,
                       void (MainWindow::*slot)()) {
        auto* action = new QAction(themed_icon(icon), text, this);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);  // shortcuts work while the menus are hidden too
        return action;
    };
    add_file_ = make(tr("Add torrent &file…"), "document-open", QKeySequence::Open,
                     &MainWindow::addTorrentFile);
    add_magnet_ = make(tr("Add &magnet link…"), "insert-link", QKeySequence("Ctrl+U"),
                       &MainWindow::addMagnet);
    pause_ = make(tr("&Pause"), "media-playback-pause", QKeySequence("Ctrl+P"),
                  &MainWindow::pauseSelected);
    resume_ = make(tr("&Resume"), "media-playback-start", QKeySequence("Ctrl+S"),
                   &MainWindow::resumeSelected);
    remove_ =
        make(tr("Re&move…"), "list-remove", QKeySequence::Delete, &MainWindow::removeSelected);
    open_folder_ = make(tr("Open &folder"), "folder-open", QKeySequence("Ctrl+E"),
                        &MainWindow::openSelectedFolder);
    play_ = make(tr("Pla&y"), "video-x-generic", QKeySequence("Ctrl+Shift+P"),
                 &MainWindow::playSelected);
    play_->setToolTip(tr("Watch while it downloads"));
    limit_ =
        make(tr("&Limit speed…"), "preferences-system-network", {}, &MainWindow::limitSelected);
    move_ = make(tr("Mo&ve to…"), "folder-move", {}, &MainWindow::moveSelected);
    settings_action_ = make(tr("&Settings…"), "preferences-system", QKeySequence("Alt+O"),
                            &MainWindow::showSettings);
    settings_action_->setMenuRole(QAction::PreferencesRole);
    quit_ = new QAction(themed_icon("application-exit"), tr("&Quit"), this);
    quit_->setShortcut(QKeySequence::Quit);
    quit_->setMenuRole(QAction::QuitRole);
    connect(quit_, &QAction::triggered, this, &MainWindow::quitRequested);
    addAction(quit_);

    lane_menu_ = new QMenu(tr("&Lane"), this);
    lane_group_ = new QActionGroup(this);
    QString const titles[] = {tr("Slow (free)"), tr("Medium"), tr("Fast")};
    for (int i = 0; i < lanes::lane_count; ++i) {
        auto* action = lane_menu_->addAction(titles[i]);
        action->setCheckable(true);
        action->setData(i);
        lane_group_->addAction(action);
    }
    connect(lane_group_, &QActionGroup::triggered, this, [this](QAction* action) {
        setSelectedLane(static_cast<lanes::Lane>(action->data().toInt()));
    });
    connect(lane_menu_, &QMenu::aboutToShow, this, [this] {
        auto const ids = selected_ids();
        auto const row = ids.empty() ? std::nullopt : session_.row(ids.front());
        for (auto* action : lane_group_->actions()) {
            action->setChecked(row && static_cast<int>(row->lane) == action->data().toInt());
        }
    });
}

void MainWindow::create_menus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(add_file_);
    file->addAction(add_magnet_);
    file->addSeparator();
    file->addAction(quit_);
    auto* torrent = menuBar()->addMenu(tr("&Torrent"));
    for (auto* action : {play_, pause_, resume_, remove_, open_folder_, limit_, move_}) {
        torrent->addAction(action);
    }
    torrent->addMenu(lane_menu_);
    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Torrents"), QKeySequence("Ctrl+1"), this, &MainWindow::showTorrentList);
    view->addAction(tr("&Wallet"), QKeySequence("Ctrl+2"), this, &MainWindow::showWalletPage);
    view->addSeparator();
    // qBittorrent's turtle: the alternative global limits by hand (the schedule is in Settings).
    auto* alt_speed = view->addAction(tr("&Alternative speed limits"));
    alt_speed->setObjectName("alt_speed");
    alt_speed->setCheckable(true);
    alt_speed->setChecked(session_.alt_speed_active());
    connect(alt_speed, &QAction::toggled, this, [this](bool on) {
        auto alt = settings_.alt_speed();
        if (alt.manual == on) return;
        alt.manual = on;
        settings_.set_alt_speed(alt);
        session_.set_rate_limits(settings_.upload_limit_kib() * 1024,
                                 settings_.download_limit_kib() * 1024);
    });
    connect(&session_, &Session::altSpeedChanged, alt_speed, &QAction::setChecked);
    menuBar()->addMenu(tr("Too&ls"))->addAction(settings_action_);

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName("main_toolbar");
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (auto* action : {add_file_, add_magnet_}) toolbar->addAction(action);
    toolbar->addSeparator();
    for (auto* action : {play_, pause_, resume_, remove_}) toolbar->addAction(action);
    toolbar->addSeparator();
    toolbar->addAction(settings_action_);
}

QWidget* MainWindow::create_torrent_page() {
    auto* page = new QWidget(this);
    model_ = new TorrentListModel(session_, this);
    filter_ = new TorrentFilterModel(this);
    filter_->setSourceModel(model_);

    state_filter_ = new QComboBox(page);
    state_filter_->setObjectName("state_filter");
    using F = TorrentFilterModel::StateFilter;
    state_filter_->addItem(tr("All"), static_cast<int>(F::all));
    state_filter_->addItem(tr("Downloading"), static_cast<int>(F::downloading));
    state_filter_->addItem(tr("Seeding"), static_cast<int>(F::seeding));
    state_filter_->addItem(tr("Paused"), static_cast<int>(F::paused));
    state_filter_->addItem(tr("Errors"), static_cast<int>(F::error));
    connect(state_filter_, &QComboBox::currentIndexChanged, this, [this] {
        filter_->set_state_filter(static_cast<F>(state_filter_->currentData().toInt()));
    });
    search_ = new QLineEdit(page);
    search_->setObjectName("search");
    search_->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::textChanged, filter_, &TorrentFilterModel::set_name_filter);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, search_, [this] { search_->setFocus(); });
    addAction(find);

    view_ = new QTableView(page);
    view_->setObjectName("torrents");
    view_->setModel(filter_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder);  // the order torrents were added until asked
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setAlternatingRowColors(true);
    view_->setShowGrid(false);
    view_->setWordWrap(false);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 8);
    view_->horizontalHeader()->setSectionResizeMode(TorrentListModel::name, QHeaderView::Stretch);
    view_->horizontalHeader()->setHighlightSections(false);
    view_->setItemDelegateForColumn(
        TorrentListModel::progress,
        new ProgressDelegate(view_, TorrentListModel::ProgressRole, 100.0));
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, &MainWindow::show_torrent_menu);
    connect(view_, &QAbstractItemView::doubleClicked, this, &MainWindow::openSelectedFolder);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        auto const ids = selected_ids();
        details_->set_torrent(ids.empty() ? std::nullopt : std::optional(ids.front()));
        update_actions();
    });

    details_ = new DetailsPane(session_, page);
    auto* splitter = new QSplitter(Qt::Vertical, page);
    splitter->setObjectName("list_details_splitter");
    splitter->addWidget(view_);
    splitter->addWidget(details_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show:"), page));
    filters->addWidget(state_filter_);
    filters->addWidget(search_, 1);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    return page;
}

std::vector<TorrentId> MainWindow::selected_ids() const {
    std::vector<TorrentId> ids;
    for (auto const& index : view_->selectionModel()->selectedRows()) ids.push_back(id_of(index));
    return ids;
}

void MainWindow::select_torrent(TorrentId const& id) {
    int const source_row = model_->row_of(QString::fromStdString(id));
    if (source_row < 0) return;
    QModelIndex const index = filter_->mapFromSource(model_->index(source_row, 0));
    if (!index.isValid()) return;
    view_->selectionModel()->select(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->setCurrentIndex(index);
}

void MainWindow::refresh() {
    rates_->setText(tr("↓ %1   ↑ %2")
                        .arg(QString::fromStdString(format_rate(session_.download_rate())),
                             QString::fromStdString(format_rate(session_.upload_rate()))));
    earned_->setText(tr("Promised today: %1 · earned on chain: %2")
                         .arg(QString::fromStdString(format_btt(session_.earned_today())),
                              QString::fromStdString(format_btt(session_.earned_on_chain()))));
    // Removing rows changes the selection without selectionChanged: follow it here as well.
    auto const ids = selected_ids();
    details_->set_torrent(ids.empty() ? std::nullopt : std::optional(ids.front()));
    details_->refresh();
    update_actions();
}

void MainWindow::update_actions() {
    bool const any = view_->selectionModel()->hasSelection();
    for (auto* action : {play_, pause_, resume_, remove_, open_folder_, limit_, move_}) {
        action->setEnabled(any);
    }
    lane_menu_->setEnabled(any);
}

void MainWindow::show_torrent_menu(QPoint const& pos) {
    if (!view_->indexAt(pos).isValid()) return;
    QMenu menu(this);
    menu.addAction(play_);
    menu.addSeparator();
    for (auto* action : {pause_, resume_}) menu.addAction(action);
    menu.addMenu(lane_menu_);
    menu.addSeparator();
    menu.addAction(limit_);
    menu.addAction(move_);
    menu.addSeparator();
    menu.addAction(open_folder_);
    menu.addAction(remove_);
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

void MainWindow::addSource(QString const& source, bool skip_dialog) {
    if (skip_dialog || settings_.skip_add_dialog()) {
        AddRequest request;
        request.source = source;
        request.save_path = settings_.default_save_path();
        request.lane = settings_.default_lane();
        request.caps = settings_.caps();
        add_request(request);
        return;
    }
    auto description = AddTorrentDialog::describe_source(source);
    if (!description) {
        show_error(tr("Cannot add torrent"), QString::fromStdString(description.error()));
        return;
    }
    auto* dialog = new AddTorrentDialog(source, std::move(description).value(), session_, wallet_,
                                        settings_, token_balance_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { add_request(dialog->request()); });
    dialog->open();
}

void MainWindow::add_request(AddRequest const& request) {
    auto added = session_.add(request);
    if (!added) {
        show_error(tr("Cannot add torrent"), QString::fromStdString(added.error()));
        return;
    }
    model_->refresh();
    select_torrent(*added);
    if (request.play) play(*added);
}

Status MainWindow::set_selected_limits(int upload_bytes_per_s, int download_bytes_per_s) {
    for (auto const& id : selected_ids()) {
        auto set = session_.set_torrent_limits(id, upload_bytes_per_s, download_bytes_per_s);
        if (!set) return set;
    }
    return Ok{};
}

Status MainWindow::move_selected(QString const& directory) {
    for (auto const& id : selected_ids()) {
        auto moved = session_.move_storage(id, directory);
        if (!moved) return moved;
    }
    return Ok{};
}

// Per-torrent limits in KiB/s, as qBittorrent asks for them; 0 is no limit of its own (the
// session's limits still apply).
void MainWindow::limitSelected() {
    auto const ids = selected_ids();
    if (ids.empty()) return;
    auto const [upload, download] = session_.torrent_limits(ids.front());
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Limit speed"));
    auto* form = new QFormLayout(&dialog);
    auto make_box = [&dialog](int bytes_per_s) {
        auto* box = new QSpinBox(&dialog);
        box->setRange(0, 1'000'000);
        box->setSuffix(tr(" KiB/s"));
        box->setSpecialValueText(tr("No limit"));
        box->setValue(bytes_per_s / 1024);
        return box;
    };
    auto* down_box = make_box(download);
    auto* up_box = make_box(upload);
    down_box->setObjectName("download_limit");
    up_box->setObjectName("upload_limit");
    form->addRow(tr("&Download:"), down_box);
    form->addRow(tr("&Upload:"), up_box);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    if (auto set = set_selected_limits(up_box->value() * 1024, down_box->value() * 1024); !set) {
        show_error(tr("Cannot limit the speed"), QString::fromStdString(set.error()));
    }
}

void MainWindow::moveSelected() {
    auto const ids = selected_ids();
    if (ids.empty()) return;
    auto const row = session_.row(ids.front());
    auto const directory = QFileDialog::getExistingDirectory(this, tr("Move the files to"),
                                                             row ? row->save_path : QString());
    if (directory.isEmpty()) return;
    if (auto moved = move_selected(directory); !moved) {
        show_error(tr("Cannot move the files"), QString::fromStdString(moved.error()));
    }
}

void MainWindow::playSelected() {
    auto const ids = selected_ids();
    if (!ids.empty()) play(ids.front());
}

void MainWindow::play(TorrentId const& id, std::optional<int> file_index) {
    auto const key = QString::fromStdString(id);
    if (auto* open = player_for(key)) {
        open->show();
        open->raise();
        open->activateWindow();
        return;
    }
    if (auto started = session_.play(id, file_index); !started) {
        show_error(tr("Cannot play"), QString::fromStdString(started.error()));
        return;
    }
    // A window of its own (no parent: it goes full screen and stays when the list is hidden in
    // the tray), gone when closed.
    auto* window = new PlayerWindow();
    window->setAttribute(Qt::WA_DeleteOnClose);
    auto const row = session_.row(id);
    window->setWindowTitle(row ? row->name : key);
    players_[key] = window;
    connect(window, &PlayerWindow::closed, this, [this, key] {
        players_.erase(key);
        session_.stop_playing(key.toStdString());
    });
    if (auto const info = session_.streams().info(id); info && !info->url.isEmpty()) {
        window->play(info->url, info->title);
    }
    update_player(key);
    window->resize(960, 600);
    window->show();
}

PlayerWindow* MainWindow::player_for(QString const& id) const {
    auto const it = players_.find(id);
    return it == players_.end() ? nullptr : it->second.data();
}

void MainWindow::connect_streams() {
    auto& streams = session_.streams();
    connect(&streams, &StreamService::ready, this,
            [this](QString const& id, QUrl const& url, QString const& title) {
                if (auto* window = player_for(id)) window->play(url, title);
            });
    connect(&streams, &StreamService::updated, this, &MainWindow::update_player);
    connect(&streams, &StreamService::failed, this, [this](QString const& id, QString const& why) {
        if (auto* window = player_for(id)) window->close();
        show_error(tr("Cannot play"), why);
    });
}

// The lane the stream has now and what it has cost, and the downloaded parts on the seek bar.
void MainWindow::update_player(QString const& id) {
    auto* window = player_for(id);
    if (!window) return;
    auto const info = session_.streams().info(id.toStdString());
    if (!info) return;
    // What the player already holds is buffered too: without it auto bought fast for the first
    // seconds while the player sat on its own cache.
    session_.streams().set_player_buffer(id.toStdString(), window->player().buffered_seconds());
    QString lane = lane_text(info->status.lane).toLower();
    // With `auto`, why it holds this lane ("buffer 12 s < 30 s target", "the rest of the file
    // is here"): the user sees what is bought and what for.
    if (info->auto_lane && !info->status.lane_reason.empty()) {
        lane = tr("%1 (auto: %2)").arg(lane, QString::fromStdString(info->status.lane_reason));
    } else if (info->auto_lane) {
        lane = tr("%1 (auto)").arg(lane);
    }
    window->set_stream_info(lane, QString::fromStdString(format_btt(info->status.spent)));
    window->set_available_ranges(info->ranges);
}

void MainWindow::addTorrentFile() {
    QStringList const files = QFileDialog::getOpenFileNames(
        this, tr("Add torrent files"), {}, tr("Torrent files (*.torrent);;All files (*)"));
    for (auto const& file : files) addSource(file, false);
}

void MainWindow::addMagnet() {
    bool ok = false;
    QString const text = QInputDialog::getText(this, tr("Add magnet link"), tr("Magnet link:"),
                                               QLineEdit::Normal, {}, &ok)
                             .trimmed();
    if (ok && !text.isEmpty()) addSource(text, false);
}

void MainWindow::pauseSelected() {
    for (auto const& id : selected_ids()) {
        if (auto status = session_.pause(id); !status) {
            show_error(tr("Pause"), QString::fromStdString(status.error()));
        }
    }
}

void MainWindow::resumeSelected() {
    for (auto const& id : selected_ids()) {
        if (auto status = session_.resume(id); !status) {
            show_error(tr("Resume"), QString::fromStdString(status.error()));
        }
    }
}

void MainWindow::removeSelected() {
    auto const ids = selected_ids();
    if (ids.empty()) return;
    QMessageBox box(QMessageBox::Question, tr("Remove torrents"), {},
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setObjectName("confirm_remove");
    auto const first = session_.row(ids.front());
    box.setText(ids.size() == 1 && first ? tr("Remove \"%1\" from the list?").arg(first->name)
                                         : tr("Remove %n torrent(s) from the list?", nullptr,
                                              static_cast<int>(ids.size())));
    box.button(QMessageBox::Yes)->setText(tr("Remove"));
    box.setDefaultButton(QMessageBox::Cancel);
    auto* delete_files = new QCheckBox(tr("Also delete the downloaded files"), &box);
    delete_files->setObjectName("delete_files");
    box.setCheckBox(delete_files);
    if (box.exec() != QMessageBox::Yes) return;
    auto const what = delete_files->isChecked() ? RemoveData::delete_files : RemoveData::keep;
    for (auto const& id : ids) {
        if (auto status = session_.remove(id, what); !status) {
            show_error(tr("Remove"), QString::fromStdString(status.error()));
        }
    }
    model_->refresh();
}

void MainWindow::openSelectedFolder() {
    auto const ids = selected_ids();
    if (ids.empty()) return;
    if (auto const row = session_.row(ids.front()); row && !row->save_path.isEmpty()) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(row->save_path));
    }
}

void MainWindow::setSelectedLane(lanes::Lane lane) {
    for (auto const& id : selected_ids()) session_.set_lane(id, lane, settings_.caps());
    model_->refresh();
}

void MainWindow::showSettings() {
    auto* dialog = new SettingsDialog(settings_, &session_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this, &MainWindow::settingsApplied);
    dialog->open();
}

void MainWindow::showWalletPage() {
    tabs_->setCurrentWidget(wallet_page_);
    bringToFront();
}

void MainWindow::showTorrentList() {
    tabs_->setCurrentWidget(torrent_page_);
    bringToFront();
}

void MainWindow::bringToFront() {
    if (isMinimized()) showNormal();
    show();
    raise();
    activateWindow();
}

void MainWindow::show_error(QString const& title, QString const& text) {
    // Not exec(): an error from a drop or a second launch must not block the event loop.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName("error_box");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (settings_.close_to_tray()) {
        event->ignore();
        emit closeRequested();
        return;
    }
    event->accept();
    emit quitRequested();
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange && isMinimized() && settings_.close_to_tray()) {
        emit closeRequested();
    }
}

QStringList MainWindow::dropped_sources(QMimeData const* mime) {
    QStringList sources;
    for (auto const& url : mime->urls()) {
        if (url.isLocalFile() && url.toLocalFile().endsWith(".torrent", Qt::CaseInsensitive)) {
            sources << url.toLocalFile();
        } else if (url.scheme() == "magnet") {
            sources << url.toString(QUrl::FullyEncoded);
        }
    }
    if (sources.isEmpty() && mime->hasText()) {
        for (auto const& line : mime->text().split('\n', Qt::SkipEmptyParts)) {
            QString const text = line.trimmed();
            if (is_magnet_text(text)) sources << text;
        }
    }
    return sources;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!dropped_sources(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList const sources = dropped_sources(event->mimeData());
    if (sources.isEmpty()) return;
    event->acceptProposedAction();
    for (auto const& source : sources) addSource(source, false);
}

}  // namespace lanetorrent::ui
