#include "app/single_instance.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QLocalSocket>
#include <QThread>
#include <QTimer>

namespace lanetorrent::ui {
namespace {

constexpr int client_timeout_ms = 5000;  // a peer that sends nothing in time is dropped

QString to_q(std::filesystem::path const& path) {
    return QString::fromStdString(path.string());
}

// The XDG base directory spec: "owned by the user, and [...] its Unix access mode MUST be 0700".
// Anything else (unset, relative, someone else's, open to others) is not used.
bool private_runtime_dir(QByteArray const& dir) {
    if (dir.isEmpty() || !dir.startsWith('/')) return false;
    struct stat st {};
    return ::stat(dir.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
           (st.st_mode & (S_IRWXG | S_IRWXO)) == 0;
}

}  // namespace

QString SingleInstance::profile_socket_for(Profile const& profile) {
    return QDir(QDir(to_q(profile.config_dir())).absolutePath()).absoluteFilePath("instance.sock");
}

QString SingleInstance::server_name_for(Profile const& profile) {
    auto const config = QDir(to_q(profile.config_dir())).absolutePath();
    auto const runtime = qgetenv("XDG_RUNTIME_DIR");
    if (!private_runtime_dir(runtime)) return profile_socket_for(profile);
    // One runtime directory serves every profile of this user, so the name tells them apart.
    auto const hash = QCryptographicHash::hash(config.toUtf8(), QCryptographicHash::Sha256);
    return QDir(QString::fromLocal8Bit(runtime))
        .absoluteFilePath(QStringLiteral("lanetorrent-") +
                          QString::fromLatin1(hash.toHex().left(24)) + QStringLiteral(".sock"));
}

bool SingleInstance::peer_is_same_user(qintptr fd) {
    ucred peer{};
    socklen_t size = sizeof peer;
    if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0)
        return false;
    return size == sizeof peer && peer.uid == ::geteuid();
}

Result<std::unique_ptr<SingleInstance>> SingleInstance::claim(Profile const& profile) {
    auto const lock_path = QDir(to_q(profile.config_dir())).absoluteFilePath("instance.lock");
    auto lock = std::make_unique<QLockFile>(lock_path);
    // Stale only when the owner process is gone, never by age: a primary runs for weeks.
    lock->setStaleLockTime(0);
    Role role = Role::primary;
    if (!lock->tryLock(0)) {
        if (lock->error() != QLockFile::LockFailedError) {
            return Error{"cannot create the instance lock " + lock_path.toStdString()};
        }
        role = Role::secondary;
        lock.reset();
    }
    return std::unique_ptr<SingleInstance>(new SingleInstance(
        role, server_name_for(profile), profile_socket_for(profile), std::move(lock)));
}

SingleInstance::SingleInstance(Role role, QString server_name, QString profile_socket,
                               std::unique_ptr<QLockFile> lock)
    : role_(role),
      server_name_(std::move(server_name)),
      profile_socket_(std::move(profile_socket)),
      lock_(std::move(lock)) {}

SingleInstance::~SingleInstance() = default;

Status SingleInstance::listen() {
    if (role_ != Role::primary) return Error{"only the first instance listens"};
    if (!servers_.empty()) return Ok{};
    // The runtime directory's socket, and the profile's too: a later launch without
    // $XDG_RUNTIME_DIR (su -, ssh) can only find the latter. Either one is enough.
    QStringList names{server_name_};
    if (profile_socket_ != server_name_) names << profile_socket_;
    std::string failures;
    for (auto const& name : names) {
        auto server = std::make_unique<QLocalServer>();
        // The directory already keeps other users out; the socket's own mode (0700) and the peer
        // check in accept() are for a directory whose mode someone loosened later.
        server->setSocketOptions(QLocalServer::UserAccessOption);
        // We hold the lock, so a socket file under our name is what a crashed instance left.
        QLocalServer::removeServer(name);
        if (!server->listen(name)) {
            if (!failures.empty()) failures += "; ";
            failures += "cannot listen for other launches on " + name.toStdString() + ": " +
                        server->errorString().toStdString();
            continue;
        }
        connect(server.get(), &QLocalServer::newConnection, this,
                [this, listening = server.get()] { accept(*listening); });
        servers_.push_back(std::move(server));
    }
    if (servers_.empty()) return Error{failures};
    return Ok{};
}

void SingleInstance::accept(QLocalServer& server) {
    while (auto* socket = server.nextPendingConnection()) {
        // Another user's process (or root's) has no business adding torrents to this profile.
        if (!peer_is_same_user(socket->socketDescriptor())) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto buffer = std::make_shared<QByteArray>();
        QTimer::singleShot(client_timeout_ms, socket, &QLocalSocket::abort);
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            auto decoded = decode(*buffer);
            if (decoded.malformed) {
                socket->abort();
                return;
            }
            if (!decoded.message) return;
            // Acknowledge before acting: the sender only needs to know the message arrived, and
            // the add dialog may stay open for a long time. The signal is queued because its
            // receiver may run a modal dialog, during which this socket is deleted.
            socket->write(&instance_ack, 1);
            socket->flush();
            socket->disconnectFromServer();
            QMetaObject::invokeMethod(
                this,
                [this, message = std::move(*decoded.message)] {
                    emit messageReceived(message.sources, message.skip_dialog);
                },
                Qt::QueuedConnection);
        });
    }
}

Status SingleInstance::forward(InstanceMessage const& message, std::chrono::milliseconds timeout) {
    QElapsedTimer clock;
    clock.start();
    auto const left = [&] {
        return static_cast<int>(std::max<qint64>(0, timeout.count() - clock.elapsed()));
    };
    // The first instance may have seen another $XDG_RUNTIME_DIR than this launch (a desktop
    // session against `su -` or ssh), so both places are tried; a missing socket fails at once.
    QStringList names{server_name_};
    if (server_name_ != profile_socket_) names << profile_socket_;
    QLocalSocket socket;
    QString connected;
    while (connected.isEmpty()) {
        for (auto const& name : names) {
            socket.connectToServer(name);
            if (socket.waitForConnected(std::min(left(), 1000))) {
                connected = name;
                break;
            }
            socket.abort();
        }
        if (!connected.isEmpty()) break;
        if (left() == 0) {
            return Error{"LaneTorrent is already running for this profile but does not answer"};
        }
        QThread::msleep(100);
    }
    // The links a user opens are theirs: never hand them to a server another user runs.
    if (!peer_is_same_user(socket.socketDescriptor())) {
        return Error{"the socket " + connected.toStdString() +
                     " belongs to another user; not sending to it"};
    }
    socket.write(encode(message));
    if (!socket.waitForBytesWritten(std::max(left(), 1000))) {
        return Error{"cannot send to the running instance: " + socket.errorString().toStdString()};
    }
    while (socket.bytesAvailable() < 1) {
        if (!socket.waitForReadyRead(std::max(left(), 1000))) {
            return Error{"the running instance did not acknowledge"};
        }
    }
    char ack = 0;
    if (!socket.getChar(&ack) || ack != instance_ack) {
        return Error{"the running instance sent an unexpected answer"};
    }
    return Ok{};
}

}  // namespace lanetorrent::ui
