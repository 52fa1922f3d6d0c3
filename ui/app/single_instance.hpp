// One running instance per profile. The first launch takes the profile's lock file and, once its
// window exists, listens on a local socket named after the profile; a later launch finds the lock
// taken, sends its sources over the socket, waits for the acknowledgement and exits. The lock, not
// the socket, decides who is first: a lock whose owner died is stale to QLockFile, and a socket
// file a crashed instance left behind is removed before listening.
//
// The sockets live in directories only this user can write to ($XDG_RUNTIME_DIR and the
// profile's config directory), never in the shared /tmp, where another local user could create
// the path first and so keep the app from listening. Both ends also check who is at the other end
// (SO_PEERCRED): the primary drops a connection from another user, and a later launch sends nothing
// to a server another user runs. Failing to listen is not fatal to the caller (Application starts
// without forwarding and says so).
// Claiming and forwarding work under a QCoreApplication, before any display is needed.
#pragma once

#include <QLocalServer>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <chrono>
#include <memory>
#include <vector>

#include "app/instance_message.hpp"
#include "base/profile.hpp"
#include "base/result.hpp"

namespace lanetorrent::ui {

class SingleInstance : public QObject {
    Q_OBJECT
  public:
    enum class Role { primary, secondary };

    // Takes the lock if nobody holds it. The profile's config directory must exist.
    static Result<std::unique_ptr<SingleInstance>> claim(Profile const& profile);
    ~SingleInstance() override;

    Role role() const { return role_; }
    QString const& server_name() const { return server_name_; }

    // Primary: accept messages from later launches (call once the window can take them), on
    // server_name() and, when that is in $XDG_RUNTIME_DIR, on the profile's socket too. An error
    // only when neither can be listened on.
    Status listen();
    // Secondary: hands `message` to the primary. The primary may still be starting (it holds the
    // lock but does not listen yet), so connecting is retried until `timeout`.
    Status forward(InstanceMessage const& message, std::chrono::milliseconds timeout);

    // The socket's absolute path: "lanetorrent-<hash of the config directory>.sock" in
    // $XDG_RUNTIME_DIR when that is what the XDG spec promises (an absolute path to a directory
    // owned by this user that nobody else may enter), else "instance.sock" in the profile's config
    // directory (mode 0700, see Profile::create_directories).
    static QString server_name_for(Profile const& profile);
    // The fallback above. The primary listens there too and forward() tries it as well: the
    // first instance may have seen another $XDG_RUNTIME_DIR than the launch that forwards to it.
    static QString profile_socket_for(Profile const& profile);
    // Whether the process at the other end of the connected local socket `fd` runs as this
    // process's effective user (SO_PEERCRED, recorded by the kernel at connect/listen time).
    static bool peer_is_same_user(qintptr fd);

  signals:
    void messageReceived(QStringList sources, bool skip_dialog);

  private:
    SingleInstance(Role role, QString server_name, QString profile_socket,
                   std::unique_ptr<QLockFile> lock);
    void accept(QLocalServer& server);

    Role role_;
    QString server_name_;
    QString profile_socket_;
    std::unique_ptr<QLockFile> lock_;
    // Made by listen(), once the GUI application exists: the runtime directory's and the profile's.
    std::vector<std::unique_ptr<QLocalServer>> servers_;
};

}  // namespace lanetorrent::ui
