// NodeTester: "Test connection" for the node settings, off the GUI thread. The probe (one gRPC
// call with a 5 s deadline, wallet/node_probe) runs on Qt's thread pool; the answer comes back as
// a queued signal, or not at all if the tester is gone by then. Nothing ever waits for it: closing
// the settings while a test runs closes them at once.
#pragma once

#include <QObject>
#include <QString>
#include <memory>

#include "tron/client.hpp"

namespace lanetorrent::ui {

class NodeTester : public QObject {
    Q_OBJECT
  public:
    explicit NodeTester(QObject* parent = nullptr);
    ~NodeTester() override;

    // Starts a test; a test still running is forgotten (its answer is dropped).
    void test(tron::NodeConfig const& node);
    bool running() const { return running_; }

  signals:
    void tested(bool ok, QString message);

  private:
    // Shared with the pool's task: it only reports while this tester still wants its answer.
    struct Ticket;
    std::shared_ptr<Ticket> ticket_;
    bool running_ = false;
};

}  // namespace lanetorrent::ui
