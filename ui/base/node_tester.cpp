#include "base/node_tester.hpp"

#include <QPointer>
#include <QThreadPool>
#include <atomic>

#include "wallet/node_probe.hpp"

namespace lanetorrent::ui {

struct NodeTester::Ticket {
    std::atomic<bool> wanted{true};
};

NodeTester::NodeTester(QObject* parent) : QObject(parent) {}

NodeTester::~NodeTester() {
    if (ticket_) ticket_->wanted = false;
}

void NodeTester::test(tron::NodeConfig const& node) {
    if (ticket_) ticket_->wanted = false;
    ticket_ = std::make_shared<Ticket>();
    running_ = true;
    QPointer<NodeTester> self(this);
    QThreadPool::globalInstance()->start([self, ticket = ticket_, node] {
        auto probe = wallet::probe_node(node);
        bool const ok = probe.ok();
        auto const message = QString::fromStdString(ok ? probe.value() : probe.error());
        if (!ticket->wanted) return;
        // Queued to the tester's thread; the QPointer is checked there, where it can't change.
        QMetaObject::invokeMethod(
            self.data(),
            [self, ticket, ok, message] {
                if (!self || !ticket->wanted) return;
                self->running_ = false;
                emit self->tested(ok, message);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace lanetorrent::ui
