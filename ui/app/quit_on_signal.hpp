// SIGTERM, SIGINT and SIGHUP end the app the way the Quit menu does, without asking: the event
// loop stops, then the Session's destructor saves resume data. A signal handler may only write to
// a pipe; a QSocketNotifier on the other end brings the signal into the event loop.
#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <memory>

namespace lanetorrent::ui {

class QuitOnSignal : public QObject {
    Q_OBJECT
  public:
    // One per process: installs the handlers, restores the defaults when destroyed.
    explicit QuitOnSignal(QObject* parent = nullptr);
    ~QuitOnSignal() override;

  signals:
    void received(int signal);

  private:
    void drain();

    std::unique_ptr<QSocketNotifier> notifier_;
};

}  // namespace lanetorrent::ui
