#include "gui/details_pane.hpp"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <set>

#include "base/file_list_model.hpp"
#include "base/format.hpp"
#include "base/peer_list_model.hpp"
#include "base/price_estimate.hpp"
#include "gui/icons.hpp"
#include "gui/progress_delegate.hpp"

namespace lanetorrent::ui {

namespace {

// Trackers and history come from slower sources (tracker state, SQLite): every few ticks is enough.
constexpr int slow_refresh_ticks = 5;
constexpr int history_days = 30;

QTableView* table_view(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QTableWidget* table_widget(QStringList const& headers, QWidget* parent) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return table;
}

void set_cell(QTableWidget* table, int row, int column, QString const& text) {
    auto* item = table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        table->setItem(row, column, item);
    }
    // Only touch changed cells: an unchanged table must not repaint once a second.
    if (item->text() != text) item->setText(text);
}

QString btt(lanes::Units units) {
    return QString::fromStdString(format_btt(units));
}

}  // namespace

DetailsPane::DetailsPane(Session& session, QWidget* parent)
    : QTabWidget(parent), session_(session) {
    peers_ = new PeerListModel(this);
    auto* peer_view = table_view(peers_, this);
    peer_view->setObjectName("peers");
    addTab(peer_view, tr("Peers"));

    files_ = new FileListModel(this);
    file_view_ = table_view(files_, this);
    file_view_->setObjectName("files");
    file_view_->setItemDelegateForColumn(FileListModel::progress, new ProgressDelegate(this));
    file_view_->horizontalHeader()->setSectionResizeMode(FileListModel::path, QHeaderView::Stretch);
    file_view_->horizontalHeader()->setStretchLastSection(false);
    file_view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(file_view_, &QWidget::customContextMenuRequested, this, &DetailsPane::show_file_menu);
    addTab(file_view_, tr("Files"));

    auto* trackers_page = new QWidget(this);
    auto* trackers_layout = new QVBoxLayout(trackers_page);
    trackers_ = table_widget({tr("Tracker"), tr("Tier"), tr("Status")}, trackers_page);
    trackers_->setObjectName("trackers");
    // A tracker's answer is shown whole: wrapped in its cell, rows as tall as their text, and
    // as a tooltip. Eliding cut "failure reason" sentences in half.
    trackers_->setWordWrap(true);
    trackers_->setTextElideMode(Qt::ElideNone);
    trackers_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    trackers_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    trackers_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    trackers_->horizontalHeader()->resizeSection(0, 320);
    trackers_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    trackers_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(trackers_, &QWidget::customContextMenuRequested, this, &DetailsPane::show_tracker_menu);
    trackers_layout->addWidget(trackers_, 1);
    tracker_error_ = new QLabel(trackers_page);
    tracker_error_->setObjectName("tracker_error");
    tracker_error_->setWordWrap(true);
    tracker_error_->hide();
    trackers_layout->addWidget(tracker_error_);
    auto* tracker_buttons = new QHBoxLayout;
    auto* reannounce_button = new QPushButton(tr("Reannounce"), trackers_page);
    reannounce_button->setObjectName("reannounce");
    reannounce_button->setToolTip(tr("Ask the selected trackers (or all) for peers now"));
    auto* add_button = new QPushButton(tr("Add…"), trackers_page);
    add_button->setObjectName("add_tracker");
    edit_tracker_ = new QPushButton(tr("Edit…"), trackers_page);
    edit_tracker_->setObjectName("edit_tracker");
    remove_tracker_ = new QPushButton(tr("Remove"), trackers_page);
    remove_tracker_->setObjectName("remove_tracker");
    for (auto* button : {reannounce_button, add_button, edit_tracker_, remove_tracker_}) {
        tracker_buttons->addWidget(button);
    }
    tracker_buttons->addStretch(1);
    trackers_layout->addLayout(tracker_buttons);
    connect(reannounce_button, &QPushButton::clicked, this,
            [this] { (void)reannounce(selected_tracker_rows()); });
    connect(add_button, &QPushButton::clicked, this, &DetailsPane::ask_add_trackers);
    connect(edit_tracker_, &QPushButton::clicked, this, &DetailsPane::ask_edit_tracker);
    connect(remove_tracker_, &QPushButton::clicked, this,
            [this] { (void)remove_trackers(selected_tracker_rows()); });
    auto update_buttons = [this] {
        auto const rows = selected_tracker_rows();
        edit_tracker_->setEnabled(rows.size() == 1);
        remove_tracker_->setEnabled(!rows.isEmpty());
    };
    connect(trackers_, &QTableWidget::itemSelectionChanged, this, update_buttons);
    update_buttons();
    addTab(trackers_page, tr("Trackers"));

    auto* history_page = new QWidget(this);
    auto* history_layout = new QVBoxLayout(history_page);
    history_total_ = new QLabel(history_page);
    history_ = table_widget({tr("Day"), tr("Earned"), tr("Spent")}, history_page);
    history_->setObjectName("history");
    history_layout->addWidget(history_total_);
    history_layout->addWidget(history_);
    addTab(history_page, tr("Earnings"));
}

void DetailsPane::set_torrent(std::optional<TorrentId> id) {
    if (id == torrent_) return;
    torrent_ = std::move(id);
    ticks_ = 0;
    refresh();
}

void DetailsPane::refresh() {
    setEnabled(torrent_.has_value());
    if (!torrent_) {
        peers_->set_peers({});
        files_->set_files({});
        trackers_->setRowCount(0);
        tracker_rows_.clear();
        tracker_error_->hide();
        history_->setRowCount(0);
        history_total_->clear();
        return;
    }
    peers_->set_peers(session_.peers(*torrent_));
    files_->set_files(session_.files(*torrent_));
    if (ticks_++ % slow_refresh_ticks == 0) {
        refresh_trackers();
        refresh_history();
    }
}

void DetailsPane::refresh_trackers() {
    if (!torrent_) return;
    tracker_rows_ = session_.trackers(*torrent_);
    trackers_->setRowCount(static_cast<int>(tracker_rows_.size()));
    for (int row = 0; row < trackers_->rowCount(); ++row) {
        auto const& tracker = tracker_rows_[static_cast<std::size_t>(row)];
        set_cell(trackers_, row, 0, tracker.url);
        set_cell(trackers_, row, 1, QString::number(tracker.tier));
        set_cell(trackers_, row, 2, tracker.status);
        trackers_->item(row, 0)->setToolTip(tracker.url);
        trackers_->item(row, 2)->setToolTip(tracker.status);
    }
}

QList<int> DetailsPane::selected_tracker_rows() const {
    std::set<int> rows;
    for (auto const& index : trackers_->selectionModel()->selectedRows()) rows.insert(index.row());
    return {rows.begin(), rows.end()};
}

QString DetailsPane::tracker_error() const {
    return tracker_error_->isHidden() ? QString() : tracker_error_->text();
}

Status DetailsPane::tracker_result(Status status) {
    if (status) {
        tracker_error_->hide();
    } else {
        tracker_error_->setText(QString::fromStdString(status.error()));
        tracker_error_->show();
    }
    refresh_trackers();
    return status;
}

Status DetailsPane::add_trackers(QString const& urls) {
    if (!torrent_) return Error{tr("select a torrent first").toStdString()};
    bool any = false;
    for (auto const& line : urls.split(QLatin1Char('\n'))) {
        auto const url = line.trimmed();
        if (url.isEmpty()) continue;
        any = true;
        if (auto added = session_.add_tracker(*torrent_, url); !added) {
            return tracker_result(added);
        }
    }
    if (!any) return tracker_result(Error{tr("enter a tracker URL, one per line").toStdString()});
    return tracker_result(Ok{});
}

Status DetailsPane::edit_tracker(int row, QString const& url) {
    if (!torrent_ || row < 0 || row >= static_cast<int>(tracker_rows_.size())) {
        return Error{tr("select a tracker first").toStdString()};
    }
    return tracker_result(session_.replace_tracker(
        *torrent_, tracker_rows_[static_cast<std::size_t>(row)].raw_url, url));
}

Status DetailsPane::remove_trackers(QList<int> const& rows) {
    if (!torrent_) return Error{tr("select a torrent first").toStdString()};
    QStringList urls;
    for (int const row : rows) {
        if (row >= 0 && row < static_cast<int>(tracker_rows_.size())) {
            urls << tracker_rows_[static_cast<std::size_t>(row)].raw_url;
        }
    }
    if (urls.isEmpty())
        return tracker_result(Error{tr("select the trackers to remove").toStdString()});
    for (auto const& url : urls) {
        if (auto removed = session_.remove_tracker(*torrent_, url); !removed) {
            return tracker_result(removed);
        }
    }
    return tracker_result(Ok{});
}

Status DetailsPane::reannounce(QList<int> const& rows) {
    if (!torrent_) return Error{tr("select a torrent first").toStdString()};
    if (rows.isEmpty()) return tracker_result(session_.reannounce(*torrent_));
    for (int const row : rows) {
        if (row < 0 || row >= static_cast<int>(tracker_rows_.size())) continue;
        auto status =
            session_.reannounce(*torrent_, tracker_rows_[static_cast<std::size_t>(row)].raw_url);
        if (!status) return tracker_result(status);
    }
    return tracker_result(Ok{});
}

void DetailsPane::ask_add_trackers() {
    if (!torrent_) return;
    bool ok = false;
    QString const text = QInputDialog::getMultiLineText(this, tr("Add trackers"),
                                                        tr("Tracker URLs, one per line:"), {}, &ok);
    if (ok) (void)add_trackers(text);  // an error shows under the table
}

void DetailsPane::ask_edit_tracker() {
    auto const rows = selected_tracker_rows();
    if (rows.size() != 1) return;
    auto const& tracker = tracker_rows_[static_cast<std::size_t>(rows.front())];
    bool ok = false;
    QString const url = QInputDialog::getText(this, tr("Edit tracker"), tr("Tracker URL:"),
                                              QLineEdit::Normal, tracker.raw_url, &ok);
    if (ok) (void)edit_tracker(rows.front(), url);
}

void DetailsPane::show_tracker_menu(QPoint const& pos) {
    if (!torrent_) return;
    if (auto const at = trackers_->indexAt(pos);
        at.isValid() && !trackers_->selectionModel()->isRowSelected(at.row(), {})) {
        trackers_->selectRow(at.row());
    }
    auto const rows = selected_tracker_rows();
    QMenu menu(this);
    menu.addAction(rows.isEmpty() ? tr("Reannounce to all") : tr("Reannounce"), this,
                   [this, rows] { (void)reannounce(rows); });
    menu.addAction(tr("Add trackers…"), this, &DetailsPane::ask_add_trackers);
    if (rows.size() == 1) menu.addAction(tr("Edit URL…"), this, &DetailsPane::ask_edit_tracker);
    if (!rows.isEmpty()) {
        menu.addAction(tr("Remove"), this, [this, rows] { (void)remove_trackers(rows); });
        menu.addAction(tr("Copy URL"), this, [this, rows] {
            QStringList urls;
            for (int const row : rows) urls << tracker_rows_[static_cast<std::size_t>(row)].raw_url;
            QGuiApplication::clipboard()->setText(urls.join(QLatin1Char('\n')));
        });
    }
    menu.exec(trackers_->viewport()->mapToGlobal(pos));
}

void DetailsPane::refresh_history() {
    auto const days = session_.history(*torrent_, history_days);
    std::vector<DayTotals> active;
    lanes::Units earned = 0, spent = 0;
    // Newest first, and only days something happened: 30 rows of zeros say nothing.
    for (auto it = days.rbegin(); it != days.rend(); ++it) {
        earned += it->earned;
        spent += it->spent;
        if (it->earned != 0 || it->spent != 0) active.push_back(*it);
    }
    history_total_->setText(
        tr("Last %1 days: earned %2, spent %3.").arg(history_days).arg(btt(earned), btt(spent)));
    history_->setRowCount(static_cast<int>(active.size()));
    for (int row = 0; row < history_->rowCount(); ++row) {
        auto const& day = active[static_cast<std::size_t>(row)];
        QDate const date = QDateTime::fromMSecsSinceEpoch(day.day_start_ms, Qt::UTC).date();
        set_cell(history_, row, 0, QLocale().toString(date, QLocale::ShortFormat));
        set_cell(history_, row, 1, btt(day.earned));
        set_cell(history_, row, 2, btt(day.spent));
    }
}

void DetailsPane::set_priority(QList<int> const& rows, int priority) {
    if (!torrent_) return;
    for (int const row : rows) {
        if (row >= files_->rowCount()) continue;
        int const file = files_->file(row).index;
        if (auto status = session_.set_file_priority(*torrent_, file, priority); !status) {
            QMessageBox::warning(this, tr("File priority"), QString::fromStdString(status.error()));
            break;
        }
    }
    files_->set_files(session_.files(*torrent_));
}

void DetailsPane::show_file_menu(QPoint const& pos) {
    std::set<int> rows;
    for (auto const& index : file_view_->selectionModel()->selectedRows()) rows.insert(index.row());
    if (auto const at = file_view_->indexAt(pos); at.isValid() && rows.empty()) {
        rows.insert(at.row());
    }
    if (rows.empty()) return;
    QList<int> const selected(rows.begin(), rows.end());
    QMenu menu(this);
    if (selected.size() == 1 && torrent_) {
        int const file = files_->file(selected.front()).index;
        menu.addAction(themed_icon("media-playback-start"), tr("&Play"), this,
                       [this, file, id = *torrent_] { emit playFileRequested(id, file); });
        menu.addSeparator();
    }
    for (auto const priority : {FilePriority::skip, FilePriority::normal, FilePriority::high}) {
        int const value = static_cast<int>(priority);
        menu.addAction(priority_name(value), this,
                       [this, selected, value] { set_priority(selected, value); });
    }
    menu.exec(file_view_->viewport()->mapToGlobal(pos));
}

}  // namespace lanetorrent::ui
