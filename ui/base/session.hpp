// Session: the GUI's one door to the core library. A QObject living on the GUI thread that owns
// the Engine and the lanes, drives the engine from the Qt event loop (Engine::set_wakeup posts a
// queued poll, a 1 s timer refreshes the list) and turns events into signals. The lanes run on a
// thread of their own (LaneThread), so their ledger commits never freeze the window; the engine
// saves resume data on its writer thread. The GUI reads the ledger through a connection of its
// own, which in WAL mode never waits for the lane thread's writes.
// Widgets never see libtorrent, gRPC or SQLite, and this class never sees a widget: the split
// qBittorrent makes between base/ and gui/.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "base/profile.hpp"
#include "base/stream_service.hpp"
#include "engine/engine.hpp"
#include "engine/torrent_source.hpp"
#include "lanes/lane_service.hpp"
#include "lanes/lane_thread.hpp"

namespace lanetorrent::ui {

class AppSettings;

// One torrent as the list and the tray show it. Plain values, refreshed about once a second.
struct TorrentRow {
    TorrentId id;
    QString name;
    qint64 size = 0;  // 0 until metadata is known
    double progress = 0;
    TorrentState state = TorrentState::checking;
    int download_rate = 0;  // payload bytes/s
    int upload_rate = 0;
    lanes::Lane lane = lanes::Lane::slow;  // the lane we ask for as a downloader
    int peers = 0;
    int seeds = 0;
    std::optional<qint64> eta_seconds;
    qint64 spent_units = 0;   // token base units paid on this torrent (IOUs)
    qint64 earned_units = 0;  // token base units earned on this torrent (IOUs)
    QString save_path;
    QString error;  // the last error that stopped it, empty if none
    // Bumped whenever any value above changes, so a model finds the changed rows of 1,000
    // without comparing every field of every row each second.
    quint64 revision = 0;
};

struct AddRequest {
    QString source;  // a .torrent file path or a magnet URI
    QString save_path;
    lanes::Lane lane = lanes::Lane::slow;
    lanes::Caps caps;
    std::vector<int> file_priorities;  // per file, 0 = skip, 4 = normal; empty = all normal
    bool paused = false;
    bool play = false;  // "Play while downloading": the caller opens the player once added
};

struct FileRow {
    QString path;
    qint64 size = 0;
    double progress = 0;
    int priority = 4;  // libtorrent's scale: 0 skip .. 7 top
    int index = 0;     // what set_file_priority takes (padding files are not listed)
};

struct TrackerRow {
    QString url;     // as shown (display_text): control characters escaped
    QString status;  // the tracker's whole answer or error, escaped the same way
    int tier = 0;
    QString raw_url;  // as libtorrent has it: what edit, remove and reannounce take
};

// Earned and spent per day (token base units), oldest first, for charts.
// A lane settlement that reached a block, as a notification tells it.
struct SettledPayment {
    QString txid;
    bool earned = false;  // paid to us for seeding; otherwise paid by us for a download
    qint64 amount = 0;    // base units of `asset`
    QString asset;
    QString peer;               // the other side's Tron address
    QStringList torrent_ids;    // what it paid for, the largest share first
    QStringList torrent_names;  // in the same order; empty where never known
};

struct DayTotals {
    qint64 day_start_ms = 0;  // UTC midnight
    qint64 earned = 0;
    qint64 spent = 0;
};

class Session : public QObject {
    Q_OBJECT
  public:
    // Opens the engine and the lanes for `profile`, configured from `settings`, and restores
    // every torrent the profile had. Errors are for a person (a port in use, a ledger that will
    // not open).
    static Result<std::unique_ptr<Session>> open(Profile profile, AppSettings& settings);
    ~Session() override;  // saves resume data and closes the engine

    Profile const& profile() const { return profile_; }

    Result<TorrentId> add(AddRequest const& request);
    Status pause(TorrentId const& id);
    Status resume(TorrentId const& id);
    Status remove(TorrentId const& id, RemoveData data);
    void pause_all();
    void resume_all();
    // Lane and caps for a torrent, now and on every later connection.
    void set_lane(TorrentId const& id, lanes::Lane lane, lanes::Caps caps);
    // Session-wide rate limits in bytes/s, 0 = unlimited.
    void set_rate_limits(int upload, int download);
    // One torrent's own limits in bytes/s, 0 = none (kept in its resume data).
    Status set_torrent_limits(TorrentId const& id, int upload, int download);
    std::pair<int, int> torrent_limits(TorrentId const& id) const;
    // The global limits in force now (bytes/s), and whether they are the alternative ones (by
    // hand or by their schedule; re-checked every second).
    std::pair<int, int> applied_limits() const { return applied_limits_; }
    bool alt_speed_active() const { return alt_active_; }
    // Moves a torrent's files to `directory` in the background; the row's save path follows when
    // the move is done, a failure comes as warning() and leaves the files where they were.
    Status move_storage(TorrentId const& id, QString const& directory);

    // Lets the lanes buy (sign proofs, IOUs and settlements) with this key; until then every
    // download is in the slow lane. The wallet page calls it after unlocking.
    void set_wallet_key(tron::PrivateKey key);
    bool can_buy() const;

    std::vector<TorrentRow> rows() const;  // in the order torrents were added
    std::optional<TorrentRow> row(TorrentId const& id) const;
    // The same without copies, for models that refresh often: the ids in rows() order and a
    // row by id (nullptr if unknown). Valid until control returns to the event loop.
    std::vector<TorrentId> const& torrent_ids() const { return order_; }
    TorrentRow const* find_row(TorrentId const& id) const;
    std::vector<lanes::PeerLane> peers(TorrentId const& id) const;
    std::vector<FileRow> files(TorrentId const& id) const;
    Status set_file_priority(TorrentId const& id, int file, int priority);
    std::vector<TrackerRow> trackers(TorrentId const& id) const;
    // The Trackers tab's actions (Engine's tracker edits); errors are for a person.
    Status add_tracker(TorrentId const& id, QString const& url, int tier = 0);
    Status replace_tracker(TorrentId const& id, QString const& old_url, QString const& new_url);
    Status remove_tracker(TorrentId const& id, QString const& url);
    // Every tracker when `url` is empty.
    Status reannounce(TorrentId const& id, QString const& url = {});

    // A magnet's metadata for the add dialog, fetched while it is open without adding the
    // torrent: metadataFetched(id) when it arrives, then fetched_description(id) has the files.
    // Adding the same info-hash takes it over; cancel_metadata_fetch() drops it.
    Result<TorrentId> fetch_metadata(QString const& magnet);
    std::optional<TorrentDescription> fetched_description(TorrentId const& id) const;
    void cancel_metadata_fetch(TorrentId const& id);

    // Whether some torrent not complete yet is set to a paid lane (medium or fast): then a locked
    // wallet holds it in the slow lane, and the app asks for the passphrase.
    bool wants_paid_lane() const;
    std::vector<TorrentId> paid_lane_downloads() const;
    std::vector<DayTotals> history(std::optional<TorrentId> torrent, int days) const;
    // The best (lowest) offer seen per lane from connected seeders of `torrent`, in base units
    // per GiB, or empty before any seeder has made one.
    std::optional<std::array<lanes::Units, lanes::lane_count>> offered_prices(
        TorrentId const& torrent) const;

    int download_rate() const { return download_rate_; }
    int upload_rate() const { return upload_rate_; }
    qint64 earned_today() const;  // token base units promised in IOUs, rolling 24 h
    // What settlements in a block have paid us, all time: IOUs are promises, this is money.
    qint64 earned_on_chain() const;
    // The lanes ledger's file: the wallet history reads it through a connection of its own.
    std::filesystem::path ledger_file() const;

    // Play while downloading (issue 14). A torrent set to a paid lane streams with the `auto`
    // lane: it buys that lane's speed, within its caps, only while the player's buffer is short,
    // and the slow lane otherwise; a torrent in the slow lane streams in the slow lane.
    // streams().ready() gives the URL once the torrent has metadata.
    Status play(TorrentId const& id, std::optional<int> file_index = std::nullopt);
    // Ends the stream and gives the torrent back the lane the user chose.
    void stop_playing(TorrentId const& id);
    StreamService& streams() { return *streams_; }
    // A torrent's name from the list, or as it was when it was last there (kept in the settings,
    // so the wallet history names removed torrents too); empty if never known.
    QString torrent_name(QString const& id) const;

  signals:
    // Torrent ids travel as QString (the hex info-hash, the same text as TorrentId).
    void torrentAdded(QString id);
    void torrentRemoved(QString id);
    void torrentsUpdated();  // about once a second: rows() changed
    void torrentFinished(QString id, QString name);
    void torrentError(QString id, QString message);
    // A fetch_metadata() fetch has the torrent's metadata.
    void metadataFetched(QString id);
    // A torrent's lane was set (added, or changed from the list).
    void laneChanged(QString id, lanetorrent::lanes::Lane lane);
    // A settlement changed status (broadcast, confirmed, solidified, failed).
    void settlementChanged(QString txid, QString status, QString text);
    void warning(QString message);
    // Listening on another port than the configured one (which was taken): the port in use and
    // why, in a sentence for the status bar. The setting itself is left as it is.
    void listenPortChanged(QString address, int port, QString message);
    // The Tron node stopped or started answering: settlements wait meanwhile. `message` says
    // which node and why, in plain words.
    void nodeStatusChanged(bool answers, QString message);
    // A lane settlement (paid or received) reached a block: once per settlement and run.
    void paymentSettled(lanetorrent::ui::SettledPayment payment);
    // The alternative speed limits came into force or ended.
    void altSpeedChanged(bool active);

  private:
    Session(Profile profile, AppSettings& settings, std::unique_ptr<Engine> engine,
            std::unique_ptr<lanes::LaneService> lanes, std::unique_ptr<lanes::Ledger> ledger);
    void poll_now();
    void queue_poll();  // from any thread: one queued poll_now() at a time
    void tick();        // the 1 s timer
    void handle(Event const& event);
    void take_notices();
    void on_listening(event::Listening const& e);
    void on_listen_failed(event::ListenFailed const& e);
    void refresh_lane_figures();
    TorrentRow& insert_row(TorrentId const& id);
    void apply_saved_lane(TorrentId const& id);
    lanes::Caps saved_caps(TorrentId const& id) const;

    Profile profile_;
    AppSettings& settings_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<lanes::LaneThread> lanes_;
    std::unique_ptr<lanes::Ledger> ledger_;  // the GUI's reading connection to the lanes ledger
    std::unique_ptr<StreamService> streams_;
    QTimer timer_;
    std::vector<TorrentId> order_;
    std::map<TorrentId, TorrentRow> rows_;
    std::atomic<bool> poll_queued_ = false;
    int download_rate_ = 0;
    int upload_rate_ = 0;
    // The listen interfaces as configured; once they failed, what failed and whether the session
    // already fell back to a port the system picks.
    std::string listen_configured_;
    bool listen_fell_back_ = false;
    std::string listen_failure_;
    std::set<std::string> listen_noticed_;  // addresses already told about
    void remember_names();
    void tell_settled(lanes::SettlementRecord const& record);
    std::map<TorrentId, QString> remembered_names_;  // as last written to the settings
    std::set<std::string> settled_told_;             // paymentSettled already emitted
    std::set<TorrentId> fetching_;                   // metadata fetches for add dialogs
    std::map<TorrentId, std::string> moving_;        // storage moves under way: their target
    void apply_limits();
    std::pair<int, int> applied_limits_{-1, -1};
    bool alt_active_ = false;
};

// The engine's settings from the app's: listen interfaces, limits, discovery, encryption, proxy.
EngineSettings engine_settings(AppSettings const& settings);

// The same interfaces on any free port ("IP:0" for each "IP:PORT"), or nullopt if every port is
// already 0 or the text names none: what a session falls back to when its port is taken.
std::optional<std::string> with_any_port(std::string const& listen_interfaces);
// Whether `port` is one the interfaces name (0 names any port).
bool is_configured_port(std::string const& listen_interfaces, int port);

}  // namespace lanetorrent::ui
