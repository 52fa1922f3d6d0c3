#include "lanes/chain_worker.hpp"

namespace lanetorrent::lanes {

ChainWorker::ChainWorker(tron::NodeConfig node)
    : client_(std::move(node)), thread_([this] { run(); }) {}

ChainWorker::~ChainWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    thread_.join();
}

void ChainWorker::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

std::vector<std::function<void()>> ChainWorker::take_done() {
    std::lock_guard lock(mutex_);
    return std::exchange(done_, {});
}

bool ChainWorker::idle() const {
    std::lock_guard lock(mutex_);
    return jobs_.empty() && !busy_ && done_.empty();
}

void ChainWorker::set_wakeup(std::function<void()> wakeup) {
    std::lock_guard lock(mutex_);
    wakeup_ = std::move(wakeup);
}

void ChainWorker::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        busy_ = true;
        lock.unlock();
        auto continuation = job(client_);
        lock.lock();
        busy_ = false;
        done_.push_back(std::move(continuation));
        if (wakeup_) wakeup_();
    }
}

}  // namespace lanetorrent::lanes
