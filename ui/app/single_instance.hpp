// One running instance per profile. The first launch takes the profile's lock file and, once its
// window exists, listens on a local socket (user-only access) named after the profile; a later
// launch finds the lock taken, sends its sources over the socket, waits for the acknowledgement
// and exits. The lock, not the socket, decides who is first: a lock whose owner died is stale to
// QLockFile, and a socket file a crashed instance left behind is removed before listening.
// Claiming and forwarding work under a QCoreApplication, before any display is needed.
#pragma once

#include <QLocalServer>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <chrono>
#include <memory>

#include "app/instance_message.hpp"
#include "engine/profile.hpp"
#include "engine/result.hpp"

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

    // Primary: accept messages from later launches (call once the window can take them).
    Status listen();
    // Secondary: hands `message` to the primary. The primary may still be starting (it holds the
    // lock but does not listen yet), so connecting is retried until `timeout`.
    Status forward(InstanceMessage const& message, std::chrono::milliseconds timeout);

    // "lanetorrent-" and a hash of the absolute config directory and the user id: short enough
    // for a socket path, distinct per profile and per user.
    static QString server_name_for(Profile const& profile);

  signals:
    void messageReceived(QStringList sources, bool skip_dialog);

  private:
    SingleInstance(Role role, QString server_name, std::unique_ptr<QLockFile> lock);
    void accept();

    Role role_;
    QString server_name_;
    std::unique_ptr<QLockFile> lock_;
    std::unique_ptr<QLocalServer> server_;  // made by listen(), once the GUI application exists
};

}  // namespace lanetorrent::ui
