// Helpers for the ui/base tests: a Session on its own loopback profile, real .torrent files made
// from random data, and an event loop pumped until something holds.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

#include "base/app_settings.hpp"
#include "base/session.hpp"
#include "engine/torrent_creator.hpp"
#include "files.hpp"
#include "net.hpp"

namespace lanetorrent::ui::test {

// Runs the Qt event loop until `done` holds or `timeout` passes; returns done().
inline bool pump_until(std::function<bool()> const& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeout.count()) {
        if (done()) return true;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return done();
}

inline void pump_for(std::chrono::milliseconds duration) {
    pump_until([] { return false; }, duration);
}

// Waits until `id` is in `session`'s list and seeding (its data checked and complete).
inline bool becomes_seed(Session& session, TorrentId const& id,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return pump_until(
        [&] {
            auto const* row = session.find_row(id);
            return row && row->state == TorrentState::seeding;
        },
        timeout);
}

struct MadeTorrent {
    TorrentId id;
    std::filesystem::path torrent_file;
    std::filesystem::path content;  // the file the torrent describes
};

// Writes `bytes` of random data to dir/name and a .torrent for it next to it.
inline MadeTorrent make_torrent(std::filesystem::path const& dir, std::string const& name,
                                std::uint64_t bytes, std::uint64_t seed) {
    MadeTorrent made;
    made.content = dir / name;
    lanetorrent::test::write_random_file(made.content, bytes, seed);
    CreateOptions options;
    options.content = made.content;
    options.piece_size_kib = 16;
    auto created = create_torrent(options);
    if (!created) throw std::runtime_error(created.error());
    made.id = created->id;
    made.torrent_file = dir / (name + ".torrent");
    std::ofstream out(made.torrent_file, std::ios::binary);
    out.write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
    return made;
}

// A profile whose settings make the session listen on one loopback address only.
struct TestProfile {
    explicit TestProfile(std::filesystem::path const& dir, std::uint16_t fixed_port = 0)
        : ip(lanetorrent::test::unique_loopback_ip()),
          profile(Profile::in_directory(dir)),
          settings(std::make_unique<AppSettings>(profile)) {
        port = fixed_port != 0 ? fixed_port : lanetorrent::test::free_port(ip);
        settings->set_listen_interfaces(QString::fromStdString(ip + ":" + std::to_string(port)));
        settings->set_sell_lanes(false);
        settings->set_default_save_path(QString::fromStdString((dir / "downloads").string()));
    }

    std::unique_ptr<Session> open() {
        auto session = Session::open(profile, *settings);
        if (!session) throw std::runtime_error(session.error());
        return std::move(session).value();
    }

    std::string ip;
    std::uint16_t port = 0;
    Profile profile;
    std::unique_ptr<AppSettings> settings;
};

}  // namespace lanetorrent::ui::test
