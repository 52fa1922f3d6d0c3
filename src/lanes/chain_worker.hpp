// ChainWorker: the lanes' only road to the Tron node. gRPC calls block for up to their deadline
// (and retries), so they run on this worker's own thread; the app thread queues jobs and collects
// results in poll order, and never waits for the network.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "tron/client.hpp"

namespace lanetorrent::lanes {

class ChainWorker {
  public:
    using Job = std::function<std::function<void()>(tron::TronClient&)>;

    explicit ChainWorker(tron::NodeConfig node);
    ~ChainWorker();  // finishes the job in hand, drops the rest
    ChainWorker(ChainWorker const&) = delete;
    ChainWorker& operator=(ChainWorker const&) = delete;

    // `job` runs on the worker thread and returns a continuation that runs on the app thread,
    // in take_done(). A continuation must not assume the objects it names still exist unless
    // their owner outlives the worker.
    void submit(Job job);
    std::vector<std::function<void()>> take_done();
    bool idle() const;
    void set_wakeup(std::function<void()> wakeup);

  private:
    void run();

    tron::TronClient client_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::vector<std::function<void()>> done_;
    std::function<void()> wakeup_;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lanetorrent::lanes
