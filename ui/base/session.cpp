#include "base/session.hpp"

#include <QDateTime>
#include <QMetaObject>
#include <exception>
#include <map>

#include "base/app_settings.hpp"
#include "base/display_text.hpp"
#include "engine/torrent_source.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::ui {

namespace {

using namespace std::chrono_literals;

constexpr qint64 day_ms = 86'400'000;

QString qs(std::string const& text) {
    return QString::fromStdString(text);
}

bool is_loopback(std::string const& ip) {
    return ip.starts_with("127.") || ip == "::1" || ip == "[::1]";
}

std::filesystem::path keystore_file(Profile const& profile) {
    return profile.data_dir() / "keystore.json";
}

std::filesystem::path ledger_file_of(Profile const& profile) {
    return profile.data_dir() / "lanes.sqlite";
}

lanes::LaneConfig lane_config(Profile const& profile, AppSettings const& settings) {
    lanes::LaneConfig config;
    config.ledger_file = ledger_file_of(profile);
    config.node = settings.node();
    if (settings.sell_lanes()) {
        // Selling needs only the address to be paid to: the key stays locked until the user
        // unlocks the wallet (which buying needs).
        if (auto payee = wallet::Keystore::address_of(keystore_file(profile))) {
            lanes::SellConfig sell(payee.value());
            sell.asset = settings.asset().toStdString();
            sell.price_per_gib = {0, settings.price_medium(), settings.price_fast()};
            sell.shares = settings.shares();
            config.sell = std::move(sell);
        }
    }
    return config;
}

QString lane_key(TorrentId const& id) {
    return QStringLiteral("torrent_lanes/") + qs(id);
}

QString name_key(QString const& id) {
    return QStringLiteral("torrent_names/") + id;
}

// A name is someone else's text: what is kept of it is bounded.
constexpr qsizetype max_remembered_name = 256;

}  // namespace

// The engine as the profile's settings configure it (read once, at start).
EngineSettings engine_settings(AppSettings const& settings) {
    EngineSettings engine;
    engine.listen_interfaces = settings.listen_interfaces().toStdString();
    engine.upload_limit = settings.upload_limit_kib() * 1024;
    engine.download_limit = settings.download_limit_kib() * 1024;
    auto const network = settings.network();
    engine.dht = network.dht;
    engine.pex = network.pex;
    engine.lsd = network.lsd;
    engine.upnp = network.upnp;
    engine.encryption =
        network.encryption == QLatin1String("require")   ? EngineSettings::Encryption::require
        : network.encryption == QLatin1String("disable") ? EngineSettings::Encryption::disable
                                                         : EngineSettings::Encryption::prefer;
    if (network.proxy_type != QLatin1String("none") && !network.proxy_host.isEmpty()) {
        engine.proxy_type = network.proxy_type == QLatin1String("http")
                                ? EngineSettings::ProxyType::http
                                : EngineSettings::ProxyType::socks5;
        engine.proxy_host = network.proxy_host.toStdString();
        engine.proxy_port = network.proxy_port;
    }
    // A loopback-only instance (tests, a local demo) has no one to discover or map ports for,
    // and an exact address the user named must not silently become the next port.
    if (auto const ip = single_listen_ip(engine.listen_interfaces); is_loopback(ip)) {
        engine.make_local_only();
        engine.try_next_ports = false;
    }
    return engine;
}

Result<std::unique_ptr<Session>> Session::open(Profile profile, AppSettings& settings) {
    if (auto made = profile.create_directories(); !made) return Error{made.error()};
    auto engine = Engine::open(profile, engine_settings(settings));
    if (!engine) return Error{engine.error()};
    auto lanes = lanes::LaneService::open(*engine.value(), lane_config(profile, settings));
    if (!lanes) return Error{lanes.error()};
    // Opened after the service, which brought the schema up to date.
    auto ledger = lanes::Ledger::open(ledger_file_of(profile));
    if (!ledger) return Error{ledger.error()};
    std::unique_ptr<Session> session(
        new Session(std::move(profile), settings, std::move(engine.value()),
                    std::move(lanes.value()), std::move(ledger.value())));
    for (auto const& id : session->engine_->restore_all()) {
        session->insert_row(id);
        session->apply_saved_lane(id);
    }
    session->refresh_lane_figures();
    session->remember_names();
    session->apply_limits();  // the alternative limits may hold from the start
    session->queue_poll();
    return session;
}

Session::Session(Profile profile, AppSettings& settings, std::unique_ptr<Engine> engine,
                 std::unique_ptr<lanes::LaneService> lanes, std::unique_ptr<lanes::Ledger> ledger)
    : profile_(std::move(profile)),
      settings_(settings),
      engine_(std::move(engine)),
      lanes_(std::make_unique<lanes::LaneThread>(*engine_, std::move(lanes))),
      ledger_(std::move(ledger)),
      listen_configured_(settings.listen_interfaces().toStdString()) {
    // Both callbacks run on other threads: they only post a poll to this one.
    engine_->set_wakeup([this] { queue_poll(); });
    lanes_->set_wakeup([this] { queue_poll(); });
    streams_ = std::make_unique<StreamService>(*engine_, lanes_.get(), [this] { queue_poll(); });
    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &Session::tick);
    timer_.start();
}

Session::~Session() {
    timer_.stop();
    // Streams first: their files leave the server before the engine they read from goes.
    streams_.reset();
    engine_->set_wakeup({});
    lanes_->set_wakeup({});
    // As the CLI does: the lanes first (their threads join), then the engine saves resume data.
    lanes_.reset();
    engine_->shutdown();
}

void Session::queue_poll() {
    if (poll_queued_.exchange(true)) return;
    QMetaObject::invokeMethod(
        this, [this] { poll_now(); }, Qt::QueuedConnection);
}

void Session::poll_now() {
    poll_queued_ = false;
    if (!engine_ || !lanes_) return;
    for (auto const& event : engine_->poll(0ms)) {
        lanes_->observe(event);
        if (streams_) streams_->observe(event);
        handle(event);
    }
    lanes_->poll();
    if (streams_) streams_->tick(std::chrono::steady_clock::now());
    take_notices();
}

void Session::apply_limits() {
    auto const now = QDateTime::currentDateTime();
    auto const alt = settings_.alt_speed();
    auto const limits =
        effective_limits(alt, {settings_.upload_limit_kib(), settings_.download_limit_kib()}, now);
    if (limits != applied_limits_) {
        engine_->set_session_limits(limits.first, limits.second);
        applied_limits_ = limits;
    }
    bool const active = ui::alt_speed_active(alt, now);
    if (active != alt_active_) {
        alt_active_ = active;
        emit altSpeedChanged(active);
    }
}

void Session::tick() {
    poll_now();
    apply_limits();
    // A storage move shows in the list once libtorrent has the new path.
    for (auto it = moving_.begin(); it != moving_.end();) {
        auto const path = engine_->save_path(it->first);
        auto const row = rows_.find(it->first);
        if (!path || row == rows_.end()) {
            it = moving_.erase(it);
            continue;
        }
        if (row->second.save_path != qs(path->string())) {
            row->second.save_path = qs(path->string());
            ++row->second.revision;
        }
        it = *path == std::filesystem::path(it->second) ? moving_.erase(it) : std::next(it);
    }
    refresh_lane_figures();
    remember_names();
    emit torrentsUpdated();
    if (streams_) streams_->report();
}

TorrentRow& Session::insert_row(TorrentId const& id) {
    auto [it, inserted] = rows_.try_emplace(id);
    if (inserted) {
        order_.push_back(id);
        auto& row = it->second;
        row.id = id;
        row.name = qs(id);
        if (auto progress = engine_->progress(id)) {
            if (!progress->name.empty()) row.name = qs(progress->name);
            row.size = progress->total_bytes;
            row.progress = progress->progress;
            row.state = progress->state;
        }
        if (auto path = engine_->save_path(id)) row.save_path = qs(path->string());
    }
    return it->second;
}

void Session::apply_saved_lane(TorrentId const& id) {
    auto& raw = settings_.raw();
    auto const key = lane_key(id);
    if (!raw.contains(key + "/lane")) return;
    auto const lane = lanes::lane_from_string(raw.value(key + "/lane").toString().toStdString())
                          .value_or(lanes::Lane::slow);
    lanes_->set_lane(id, lane, saved_caps(id));
    if (auto it = rows_.find(id); it != rows_.end()) {
        it->second.lane = lane;
        ++it->second.revision;
    }
}

lanes::Caps Session::saved_caps(TorrentId const& id) const {
    auto const& raw = settings_.raw();
    auto const key = lane_key(id);
    lanes::Caps caps;
    caps.max_price_per_gib = raw.value(key + "/max_price_per_gib").toLongLong();
    caps.max_per_torrent = raw.value(key + "/max_per_torrent").toLongLong();
    caps.max_per_day = raw.value(key + "/max_per_day").toLongLong();
    return caps;
}

Status Session::play(TorrentId const& id, std::optional<int> file_index) {
    auto const* row = find_row(id);
    if (!row) return Error{"no torrent " + id};
    PlayRequest request;
    request.file_index = file_index;
    request.auto_lane = row->lane != lanes::Lane::slow;
    request.caps = saved_caps(id);
    // Play means now: a paused torrent starts.
    if (row->state == TorrentState::paused) {
        if (auto resumed = resume(id); !resumed) return resumed;
    }
    return streams_->play(id, request);
}

void Session::stop_playing(TorrentId const& id) {
    if (streams_->stop(id)) apply_saved_lane(id);
}

void Session::handle(Event const& event) {
    if (auto const* e = std::get_if<event::Progress>(&event)) {
        auto const it = rows_.find(e->status.id);
        if (it == rows_.end()) return;
        auto& row = it->second;
        auto const& p = e->status;
        TorrentRow next = row;
        if (!p.name.empty()) next.name = qs(p.name);
        if (p.total_bytes > 0) next.size = p.total_bytes;
        next.progress = p.progress;
        next.state = p.state;
        next.download_rate = p.download_rate;
        next.upload_rate = p.upload_rate;
        next.peers = p.peers;
        next.seeds = p.seeds;
        next.eta_seconds = p.eta_seconds;
        if (p.state != TorrentState::error) next.error.clear();
        bool const changed = next.name != row.name || next.size != row.size ||
                             next.progress != row.progress || next.state != row.state ||
                             next.download_rate != row.download_rate ||
                             next.upload_rate != row.upload_rate || next.peers != row.peers ||
                             next.seeds != row.seeds || next.eta_seconds != row.eta_seconds ||
                             next.error != row.error;
        if (changed) {
            ++next.revision;
            row = std::move(next);
        }
        return;
    }
    if (auto const* e = std::get_if<event::SessionStats>(&event)) {
        download_rate_ = e->download_rate;
        upload_rate_ = e->upload_rate;
        return;
    }
    if (auto const* e = std::get_if<event::TorrentAdded>(&event)) {
        if (auto it = rows_.find(e->id); it != rows_.end() && !e->name.empty()) {
            it->second.name = qs(e->name);
            ++it->second.revision;
        }
        return;
    }
    if (auto const* e = std::get_if<event::MetadataReceived>(&event)) {
        if (fetching_.contains(e->id) && !rows_.contains(e->id)) {
            emit metadataFetched(qs(e->id));
            return;
        }
        if (auto it = rows_.find(e->id); it != rows_.end()) {
            if (!e->name.empty()) it->second.name = qs(e->name);
            it->second.size = e->total_bytes;
            ++it->second.revision;
        }
        return;
    }
    if (auto const* e = std::get_if<event::Finished>(&event)) {
        auto const it = rows_.find(e->id);
        if (it == rows_.end()) return;
        it->second.progress = 1.0;
        ++it->second.revision;
        emit torrentFinished(qs(e->id), it->second.name);
        return;
    }
    if (auto const* e = std::get_if<event::TorrentError>(&event)) {
        if (auto it = rows_.find(e->id); it != rows_.end()) {
            it->second.error = qs(e->message);
            it->second.state = TorrentState::error;
            ++it->second.revision;
        }
        emit torrentError(qs(e->id), qs(e->message));
        return;
    }
    if (auto const* e = std::get_if<event::Warning>(&event)) {
        emit warning(qs(e->message));
        return;
    }
    if (auto const* e = std::get_if<event::Listening>(&event)) return on_listening(*e);
    if (auto const* e = std::get_if<event::ListenFailed>(&event)) return on_listen_failed(*e);
}

// A configured port that is taken (another program, or this one still running) must not leave
// the app unable to take connections: it listens on a port the system picks, once, and says so.
// The setting is not touched, so the next start tries the configured port again.
void Session::on_listen_failed(event::ListenFailed const& e) {
    if (!listen_fell_back_) {
        if (auto const fallback = with_any_port(listen_configured_)) {
            listen_fell_back_ = true;
            listen_failure_ = tr("port %1 on %2 cannot be used (%3)")
                                  .arg(e.port)
                                  .arg(qs(e.address), qs(e.message))
                                  .toStdString();
            engine_->set_listen_interfaces(*fallback);
            return;
        }
    }
    emit warning(
        tr("cannot listen on %1:%2: %3").arg(qs(e.address)).arg(e.port).arg(qs(e.message)));
}

void Session::on_listening(event::Listening const& e) {
    if (is_configured_port(listen_configured_, e.port)) return;
    if (!listen_noticed_.insert(e.address).second) return;
    auto const why = listen_failure_.empty() ? tr("the configured port is taken").toStdString()
                                             : listen_failure_;
    auto const message = tr("Listening on port %1 of %2 for now: %3. The setting "
                            "stays %4; it is tried again at the next start.")
                             .arg(e.port)
                             .arg(qs(e.address))
                             .arg(qs(why))
                             .arg(qs(listen_configured_));
    emit listenPortChanged(qs(e.address), e.port, message);
    emit warning(message);
}

std::optional<std::string> with_any_port(std::string const& listen_interfaces) {
    std::string out;
    bool changed = false;
    std::size_t start = 0;
    while (start <= listen_interfaces.size()) {
        auto end = listen_interfaces.find(',', start);
        if (end == std::string::npos) end = listen_interfaces.size();
        auto item = listen_interfaces.substr(start, end - start);
        auto const colon = item.rfind(':');
        // "[::1]:6881" has its port after the bracket; "::1" alone names no port.
        if (colon != std::string::npos &&
            (item.find(']') == std::string::npos || colon > item.rfind(']'))) {
            auto const port = item.substr(colon + 1);
            if (!port.empty() && port != "0") {
                item = item.substr(0, colon + 1) + "0";
                changed = true;
            }
        }
        if (!out.empty()) out += ',';
        out += item;
        start = end + 1;
    }
    if (!changed) return std::nullopt;
    return out;
}

bool is_configured_port(std::string const& listen_interfaces, int port) {
    std::size_t start = 0;
    while (start <= listen_interfaces.size()) {
        auto end = listen_interfaces.find(',', start);
        if (end == std::string::npos) end = listen_interfaces.size();
        auto const item = listen_interfaces.substr(start, end - start);
        auto const colon = item.rfind(':');
        if (colon != std::string::npos) {
            auto const text = item.substr(colon + 1);
            if (text == "0" || text == std::to_string(port)) return true;
        }
        start = end + 1;
    }
    return false;
}

void Session::take_notices() {
    for (auto const& notice : lanes_->take_notices()) {
        if (notice.node_answers) {
            emit nodeStatusChanged(*notice.node_answers, qs(notice.text));
        } else if (notice.kind == lanes::LaneNotice::Kind::settlement && !notice.txid.empty()) {
            QString status;
            try {
                auto const record = ledger_->settlement(notice.txid);
                if (record) status = qs(lanes::to_string(record->status));
                if (record) tell_settled(*record);
            } catch (std::exception const&) {
                // A ledger that cannot be read: the lanes service says so in its own notice.
            }
            emit settlementChanged(qs(notice.txid), status, qs(notice.text));
        } else if (notice.kind == lanes::LaneNotice::Kind::error) {
            emit warning(qs(notice.text));
        }
    }
}

// Once per settlement and run, when it first counts (in a block): what it paid, to or from
// whom, for which torrents. Called inside take_notices' guard against a failing ledger.
void Session::tell_settled(lanes::SettlementRecord const& record) {
    if (record.status != lanes::SettlementStatus::confirmed &&
        record.status != lanes::SettlementStatus::solidified) {
        return;
    }
    if (!settled_told_.insert(record.txid).second) return;
    SettledPayment payment;
    payment.txid = qs(record.txid);
    payment.earned = record.channel.role == lanes::Role::earn;
    payment.amount = record.to - record.from;
    payment.asset = qs(record.channel.asset);
    payment.peer = qs(payment.earned ? record.channel.payer : record.channel.payee);
    for (auto const& share : ledger_->settlement_torrents(record)) {
        if (share.torrent.empty()) continue;
        payment.torrent_ids << qs(share.torrent);
        payment.torrent_names << torrent_name(qs(share.torrent));
    }
    emit paymentSettled(payment);
}

void Session::remember_names() {
    auto& raw = settings_.raw();
    for (auto const& [id, row] : rows_) {
        if (row.name.isEmpty() || row.name == qs(id)) continue;  // no name yet: the hash
        auto const name = row.name.left(max_remembered_name);
        auto& remembered = remembered_names_[id];
        if (remembered == name) continue;
        remembered = name;
        raw.setValue(name_key(qs(id)), name);
    }
}

QString Session::torrent_name(QString const& id) const {
    if (auto const* row = find_row(id.toStdString()); row && row->name != id) return row->name;
    return settings_.raw().value(name_key(id)).toString().left(max_remembered_name);
}

std::filesystem::path Session::ledger_file() const {
    return ledger_file_of(profile_);
}

void Session::refresh_lane_figures() {
    // As the lane thread last read them from the ledger (it keeps the last values while the
    // ledger cannot be read, and says so in a notice).
    auto const earned = lanes_->totals_by_torrent(lanes::Role::earn);
    auto const spent = lanes_->totals_by_torrent(lanes::Role::spend);
    for (auto& [id, row] : rows_) {
        auto const e = earned.find(id);
        auto const s = spent.find(id);
        auto const earned_units = e == earned.end() ? 0 : e->second;
        auto const spent_units = s == spent.end() ? 0 : s->second;
        if (earned_units == row.earned_units && spent_units == row.spent_units) continue;
        row.earned_units = earned_units;
        row.spent_units = spent_units;
        ++row.revision;
    }
}

Result<TorrentId> Session::add(AddRequest const& request) {
    auto source = load_torrent_source(request.source.toStdString());
    if (!source) return Error{source.error()};
    auto const source_id =
        torrent_id_of(source->ti ? source->ti->info_hashes() : source->info_hashes);
    // A magnet whose metadata the add dialog fetched starts with it (Engine::add takes it over).
    auto const fetched = source->ti ? std::nullopt : engine_->fetched_metadata(source_id);
    auto const description = describe(fetched ? *fetched : source.value());
    fetching_.erase(source_id);
    AddTorrent add;
    add.source = std::move(source.value());
    add.save_path =
        (request.save_path.isEmpty() ? settings_.default_save_path() : request.save_path)
            .toStdString();
    add.paused = request.paused;
    add.file_priorities = request.file_priorities;
    auto added = engine_->add(std::move(add));
    if (!added) return added;
    auto const& id = added.value();
    auto& row = insert_row(id);
    set_lane(id, request.lane, request.caps);
    if (!description.name.empty()) row.name = qs(description.name);
    if (description.total_size > 0) row.size = description.total_size;
    if (request.paused) row.state = TorrentState::paused;
    refresh_lane_figures();
    remember_names();
    emit torrentAdded(qs(id));
    queue_poll();
    return added;
}

Status Session::pause(TorrentId const& id) {
    auto status = engine_->pause(id);
    if (status) queue_poll();
    return status;
}

Status Session::resume(TorrentId const& id) {
    auto status = engine_->resume(id);
    if (status) queue_poll();
    return status;
}

Status Session::remove(TorrentId const& id, RemoveData data) {
    streams_->stop(id);  // its player loses the URL; the torrent goes with its files
    auto status = engine_->remove(id, data);
    if (!status) return status;
    rows_.erase(id);
    std::erase(order_, id);
    settings_.raw().remove(lane_key(id));
    emit torrentRemoved(qs(id));
    return status;
}

void Session::pause_all() {
    for (auto const& id : order_) (void)engine_->pause(id);
    queue_poll();
}

void Session::resume_all() {
    for (auto const& id : order_) (void)engine_->resume(id);
    queue_poll();
}

void Session::set_lane(TorrentId const& id, lanes::Lane lane, lanes::Caps caps) {
    lanes_->set_lane(id, lane, caps);
    if (auto it = rows_.find(id); it != rows_.end() && it->second.lane != lane) {
        it->second.lane = lane;
        ++it->second.revision;
    }
    emit laneChanged(qs(id), lane);
    // Remembered per torrent, so a restarted app asks for the same lane.
    auto& raw = settings_.raw();
    auto const key = lane_key(id);
    raw.setValue(key + "/lane", QString::fromLatin1(lanes::to_string(lane)));
    raw.setValue(key + "/max_price_per_gib", qint64{caps.max_price_per_gib});
    raw.setValue(key + "/max_per_torrent", qint64{caps.max_per_torrent});
    raw.setValue(key + "/max_per_day", qint64{caps.max_per_day});
}

Status Session::set_torrent_limits(TorrentId const& id, int upload, int download) {
    if (upload < 0 || download < 0)
        return Error{tr("a speed limit is 0 (none) or more").toStdString()};
    return engine_->set_torrent_limits(id, upload, download);
}

std::pair<int, int> Session::torrent_limits(TorrentId const& id) const {
    return engine_->torrent_limits(id).value_or(std::pair{0, 0});
}

Status Session::move_storage(TorrentId const& id, QString const& directory) {
    auto const target = std::filesystem::path(directory.toStdString());
    auto moved = engine_->move_storage(id, target);
    if (moved) moving_[id] = target.string();
    return moved;
}

void Session::set_rate_limits(int upload, int download) {
    engine_->set_session_limits(upload, download);
    applied_limits_ = {upload, download};
    apply_limits();  // the alternative limits, if they hold now, win
}

void Session::set_wallet_key(tron::PrivateKey key) {
    lanes::BuyConfig buy{std::move(key), settings_.asset().toStdString(), settings_.default_lane(),
                         settings_.caps()};
    lanes_->set_buy_config(std::move(buy));
}

bool Session::can_buy() const {
    return lanes_->can_buy();
}

std::vector<TorrentRow> Session::rows() const {
    std::vector<TorrentRow> out;
    out.reserve(order_.size());
    for (auto const& id : order_) out.push_back(rows_.at(id));
    return out;
}

TorrentRow const* Session::find_row(TorrentId const& id) const {
    auto const it = rows_.find(id);
    return it == rows_.end() ? nullptr : &it->second;
}

std::optional<TorrentRow> Session::row(TorrentId const& id) const {
    auto const it = rows_.find(id);
    if (it == rows_.end()) return std::nullopt;
    return it->second;
}

std::vector<lanes::PeerLane> Session::peers(TorrentId const& id) const {
    std::vector<lanes::PeerLane> out;
    for (auto& peer : lanes_->peers()) {
        if (peer.torrent == id) out.push_back(std::move(peer));
    }
    return out;
}

std::vector<FileRow> Session::files(TorrentId const& id) const {
    std::vector<FileRow> out;
    for (auto const& file : engine_->files(id)) {
        FileRow row;
        row.index = file.index;
        row.path = qs(file.path);
        row.size = file.size;
        row.progress = file.size > 0 ? static_cast<double>(file.done) / file.size : 1.0;
        row.priority = file.priority;
        out.push_back(std::move(row));
    }
    return out;
}

Status Session::set_file_priority(TorrentId const& id, int file, int priority) {
    return engine_->set_file_priority(id, file, priority);
}

std::vector<TrackerRow> Session::trackers(TorrentId const& id) const {
    std::vector<TrackerRow> out;
    for (auto const& tracker : engine_->trackers(id)) {
        // Shown as they are in a table: a URL and a tracker's answer are other people's text.
        out.push_back(TrackerRow{display_text(qs(tracker.url)), display_text(qs(tracker.status)),
                                 tracker.tier, qs(tracker.url)});
    }
    return out;
}

Status Session::add_tracker(TorrentId const& id, QString const& url, int tier) {
    return engine_->add_tracker(id, url.trimmed().toStdString(), tier);
}

Status Session::replace_tracker(TorrentId const& id, QString const& old_url,
                                QString const& new_url) {
    return engine_->replace_tracker(id, old_url.toStdString(), new_url.trimmed().toStdString());
}

Status Session::remove_tracker(TorrentId const& id, QString const& url) {
    return engine_->remove_tracker(id, url.toStdString());
}

Status Session::reannounce(TorrentId const& id, QString const& url) {
    return engine_->force_reannounce(id, url.toStdString());
}

Result<TorrentId> Session::fetch_metadata(QString const& magnet) {
    auto source = load_torrent_source(magnet.trimmed().toStdString());
    if (!source) return Error{source.error()};
    if (source->ti) return Error{"that is a .torrent file: it has its metadata already"};
    auto fetched = engine_->fetch_metadata(std::move(source.value()));
    if (fetched) {
        fetching_.insert(fetched.value());
        // Metadata an earlier dialog already fetched is there at once.
        if (engine_->fetched_metadata(fetched.value())) {
            QMetaObject::invokeMethod(
                this, [this, id = qs(fetched.value())] { emit metadataFetched(id); },
                Qt::QueuedConnection);
        }
    }
    return fetched;
}

std::optional<TorrentDescription> Session::fetched_description(TorrentId const& id) const {
    auto params = engine_->fetched_metadata(id);
    if (!params) return std::nullopt;
    return describe(*params);
}

void Session::cancel_metadata_fetch(TorrentId const& id) {
    fetching_.erase(id);
    engine_->cancel_metadata_fetch(id);
}

std::vector<TorrentId> Session::paid_lane_downloads() const {
    std::vector<TorrentId> out;
    for (auto const& id : order_) {
        auto const& row = rows_.at(id);
        // A complete torrent buys nothing whatever its lane says.
        bool const complete = row.size > 0 && row.progress >= 1.0;
        if (row.lane != lanes::Lane::slow && !complete) out.push_back(id);
    }
    return out;
}

bool Session::wants_paid_lane() const {
    return !paid_lane_downloads().empty();
}

std::vector<DayTotals> Session::history(std::optional<TorrentId> torrent, int days) const {
    if (days <= 0) return {};
    // Every day of the range, zeros included, so a chart's axis has no gaps.
    qint64 const today = QDateTime::currentMSecsSinceEpoch() / day_ms * day_ms;
    qint64 const first = today - (days - 1) * day_ms;
    std::vector<DayTotals> out(static_cast<std::size_t>(days));
    for (int i = 0; i < days; ++i)
        out[static_cast<std::size_t>(i)].day_start_ms = first + i * day_ms;
    std::vector<lanes::Ledger::DayTotal> days_with_money;
    try {
        days_with_money = ledger_->daily_totals(first, torrent);
    } catch (std::exception const&) {
        return out;  // zeros: the lanes service reports the ledger's fault
    }
    for (auto const& day : days_with_money) {
        auto const index = (day.day_start_ms - first) / day_ms;
        if (index < 0 || index >= days) continue;
        out[static_cast<std::size_t>(index)].earned = day.earned;
        out[static_cast<std::size_t>(index)].spent = day.spent;
    }
    return out;
}

std::optional<std::array<lanes::Units, lanes::lane_count>> Session::offered_prices(
    TorrentId const& torrent) const {
    return lanes_->offered_prices(torrent);
}

qint64 Session::earned_on_chain() const {
    try {
        qint64 sum = 0;
        for (auto const& key : ledger_->channels(lanes::Role::earn))
            sum += ledger_->channel(key).settled;
        return sum;
    } catch (std::exception const&) {
        return 0;  // the lanes service reports a ledger it cannot read
    }
}

qint64 Session::earned_today() const {
    try {
        return ledger_->total_since(lanes::Role::earn,
                                    QDateTime::currentMSecsSinceEpoch() - day_ms);
    } catch (std::exception const&) {
        return 0;
    }
}

}  // namespace lanetorrent::ui
