#include "gui/details_pane.hpp"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <set>

#include "base/file_list_model.hpp"
#include "base/peer_list_model.hpp"
#include "base/price_estimate.hpp"
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

    trackers_ = table_widget({tr("Tracker"), tr("Status")}, this);
    trackers_->setObjectName("trackers");
    addTab(trackers_, tr("Trackers"));

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
    auto const trackers = session_.trackers(*torrent_);
    trackers_->setRowCount(static_cast<int>(trackers.size()));
    for (int row = 0; row < trackers_->rowCount(); ++row) {
        set_cell(trackers_, row, 0, trackers[static_cast<std::size_t>(row)].url);
        set_cell(trackers_, row, 1, trackers[static_cast<std::size_t>(row)].status);
    }
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
    for (auto const priority : {FilePriority::skip, FilePriority::normal, FilePriority::high}) {
        int const value = static_cast<int>(priority);
        menu.addAction(priority_name(value), this,
                       [this, selected, value] { set_priority(selected, value); });
    }
    menu.exec(file_view_->viewport()->mapToGlobal(pos));
}

}  // namespace lanetorrent::ui
