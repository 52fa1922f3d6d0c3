// Refresh cost of the torrent list with 1,000 torrents from a real session, 20 of them
// downloading from a second session on loopback (so rows really change every second): the
// incremental TorrentListModel against the naive model reset, each under a sorting proxy as in
// the main window.
//
//   lanetorrent-bench-ui-model [TORRENTS [ACTIVE [SECONDS]]]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "base/app_settings.hpp"
#include "base/session.hpp"
#include "base/torrent_filter_model.hpp"
#include "base/torrent_list_model.hpp"
#include "engine/torrent_creator.hpp"
#include "files.hpp"
#include "net.hpp"
#include "temp_dir.hpp"

namespace {

using namespace lanetorrent;
using namespace lanetorrent::ui;
namespace fs = std::filesystem;

// What a model that does not track changes does: reset everything each second.
class ResetModel : public QAbstractTableModel {
  public:
    explicit ResetModel(Session& session) : session_(session) { refresh(); }
    void refresh() {
        beginResetModel();
        rows_ = session_.rows();
        endResetModel();
    }
    int rowCount(QModelIndex const& parent = {}) const override {
        return parent.isValid() ? 0 : static_cast<int>(rows_.size());
    }
    int columnCount(QModelIndex const& parent = {}) const override {
        return parent.isValid() ? 0 : TorrentListModel::column_count;
    }
    QVariant data(QModelIndex const& index, int role) const override {
        auto const& row = rows_[static_cast<std::size_t>(index.row())];
        if (role == TorrentListModel::StateRole) return static_cast<int>(row.state);
        if (index.column() == TorrentListModel::down_rate) return row.download_rate;
        return row.name;
    }

  private:
    Session& session_;
    std::vector<TorrentRow> rows_;
};

struct Made {
    fs::path torrent;
    TorrentId id;
};

Made make(fs::path const& dir, std::string const& name, std::uint64_t bytes, std::uint64_t seed) {
    lanetorrent::test::write_random_file(dir / name, bytes, seed);
    CreateOptions options;
    options.content = dir / name;
    options.piece_size_kib = 16;
    auto created = create_torrent(options);
    if (!created) throw std::runtime_error(created.error());
    Made made{dir / (name + ".torrent"), created->id};
    std::ofstream(made.torrent, std::ios::binary)
        .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
    return made;
}

struct Instance {
    explicit Instance(fs::path const& dir, int download_kib = 0)
        : ip(lanetorrent::test::unique_loopback_ip()),
          port(lanetorrent::test::free_port(ip)),
          settings(Profile::in_directory(dir)) {
        settings.set_listen_interfaces(QString::fromStdString(ip + ":" + std::to_string(port)));
        settings.set_sell_lanes(false);
        settings.set_rate_limits_kib(0, download_kib);
        auto opened = Session::open(Profile::in_directory(dir), settings);
        if (!opened) throw std::runtime_error(opened.error());
        session = std::move(opened).value();
    }
    std::string ip;
    std::uint16_t port;
    AppSettings settings;
    std::unique_ptr<Session> session;
};

void pump(int ms) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int const total = argc > 1 ? std::atoi(argv[1]) : 1000;
    int const active = argc > 2 ? std::atoi(argv[2]) : 20;
    int const seconds = argc > 3 ? std::atoi(argv[3]) : 15;

    lanetorrent::test::TempDir dir("bench-ui-model");
    Instance seeder(dir.path() / "seeder");
    // Limited, so the active downloads last the whole run and change every second.
    Instance downloader(dir.path() / "downloader", 1024);
    auto const content = dir.subdir("content");
    auto const save = dir.subdir("save");

    for (int i = 0; i < active; ++i) {
        auto const made = make(content, "active-" + std::to_string(i), 8 << 20, i);
        AddRequest seed;
        seed.source = QString::fromStdString(made.torrent.string());
        seed.save_path = QString::fromStdString(content.string());
        if (!seeder.session->add(seed)) return 1;
        AddRequest fetch;
        fetch.source =
            QString::fromStdString("magnet:?xt=urn:btih:" + made.id + "&x.pe=" + seeder.ip + ":" +
                                   std::to_string(seeder.port));
        fetch.save_path = QString::fromStdString(save.string());
        if (!downloader.session->add(fetch)) return 1;
    }
    for (int i = active; i < total; ++i) {
        auto const made = make(content, "idle-" + std::to_string(i), 1024, i);
        AddRequest idle;
        idle.source = QString::fromStdString(made.torrent.string());
        idle.save_path = QString::fromStdString(save.string());
        idle.paused = true;
        if (!downloader.session->add(idle)) return 1;
    }
    pump(3000);  // metadata, connections, idle torrents settled

    auto& session = *downloader.session;
    TorrentListModel incremental(session);
    QObject::disconnect(&session, nullptr, &incremental, nullptr);  // refreshed by hand below
    ResetModel reset(session);
    // As the main window shows them: sorted by download rate, which moves every second.
    TorrentFilterModel incremental_view;
    incremental_view.setSourceModel(&incremental);
    incremental_view.sort(TorrentListModel::down_rate, Qt::DescendingOrder);
    QSortFilterProxyModel reset_view;
    reset_view.setSourceModel(&reset);
    reset_view.setSortRole(Qt::DisplayRole);
    reset_view.sort(TorrentListModel::down_rate, Qt::DescendingOrder);

    int changed_rows = 0;
    QObject::connect(
        &incremental, &QAbstractItemModel::dataChanged,
        [&](QModelIndex const& a, QModelIndex const& b) { changed_rows += b.row() - a.row() + 1; });
    double incremental_ms = 0;
    double reset_ms = 0;
    QElapsedTimer timer;
    for (int s = 0; s < seconds; ++s) {
        pump(1000);
        timer.start();
        incremental.refresh();
        incremental_ms += static_cast<double>(timer.nsecsElapsed()) / 1e6;
        timer.start();
        reset.refresh();
        reset_ms += static_cast<double>(timer.nsecsElapsed()) / 1e6;
    }
    std::printf("torrents %d, active %d, refreshes %d\n", incremental.rowCount(), active, seconds);
    std::printf("rows changed per refresh: %.1f\n", static_cast<double>(changed_rows) / seconds);
    std::printf("incremental refresh: %.2f ms\n", incremental_ms / seconds);
    std::printf("model reset refresh: %.2f ms\n", reset_ms / seconds);
    std::printf("reset / incremental: %.1fx\n", reset_ms / incremental_ms);
    return 0;
}
