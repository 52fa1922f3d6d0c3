// ChainWorker: the lanes' only road to the Tron node. gRPC calls block for up to their deadline
// (and retries), so they run on this worker's own thread; the app thread queues jobs and collects
// results in poll order, and never waits for the network.
//
// It also watches the node, from the first job on (a client that never settles never calls it):
// before running jobs it asks for the head block unless the node answered in the last 2 s, and
// when idle every 10 s. While the node fails (unreachable, slower than the deadline, answering
// errors) jobs wait in the queue instead of failing one by one: a settlement to sign or broadcast
// is held, not lost, and goes ahead once the node answers again. A failing node is asked every
// 2 s on a fresh connection (gRPC's own reconnect backoff would otherwise add up to two minutes
// after a long outage). A failure is announced only once a fresh connection confirms it, so the
// sentence names the cause rather than the dropped connection. Each change is one plain
// sentence for a person, not one per call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tron/client.hpp"

namespace lanetorrent::lanes {

class ChainWorker {
  public:
    using Job = std::function<std::function<void()>(tron::TronClient&)>;

    explicit ChainWorker(tron::NodeConfig node);
    ~ChainWorker();  // finishes the job (or node check) in hand, drops the rest
    ChainWorker(ChainWorker const&) = delete;
    ChainWorker& operator=(ChainWorker const&) = delete;

    // `job` runs on the worker thread and returns a continuation that runs on the app thread,
    // in take_done(). A continuation must not assume the objects it names still exist unless
    // their owner outlives the worker.
    void submit(Job job);
    std::vector<std::function<void()>> take_done();
    bool idle() const;
    void set_wakeup(std::function<void()> wakeup);

    // Sentences about the node for a person, once per change: "cannot reach the Tron node at
    // ...; settlements wait and are retried", then "... answers again".
    struct NodeNotice {
        bool answers = false;
        std::string text;
    };
    std::vector<NodeNotice> take_node_notices();
    bool node_answers() const;

  private:
    using Clock = std::chrono::steady_clock;
    void run();
    void check_node();  // worker thread, without the lock

    tron::NodeConfig node_;
    std::unique_ptr<tron::TronClient> client_;  // replaced after an outage: a fresh connection
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::vector<std::function<void()>> done_;
    std::vector<NodeNotice> node_notices_;
    std::function<void()> wakeup_;
    bool busy_ = false;
    bool stopping_ = false;
    bool watching_ = false;  // a job has been submitted: the node matters from now on
    bool node_ok_ = true;
    bool outage_told_ = false;     // the failure was confirmed on a fresh connection and announced
    Clock::time_point last_ok_{};  // the node last answered a check
    Clock::time_point down_since_{};  // first failed check of the current outage
    Clock::time_point next_check_{};  // while failing
    std::thread thread_;
};

}  // namespace lanetorrent::lanes
