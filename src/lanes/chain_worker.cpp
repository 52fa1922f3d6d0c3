#include "lanes/chain_worker.hpp"

#include "tron/node_error_text.hpp"

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

namespace {

constexpr auto fresh_enough = 2s;  // no check before a job if the node answered this recently
constexpr auto idle_check = 10s;
constexpr auto failing_check = 2s;

// One attempt: a check must not keep the worker (or its destructor) for three deadlines.
tron::NodeConfig single_attempt(tron::NodeConfig node) {
    node.attempts = 1;
    return node;
}

}  // namespace

ChainWorker::ChainWorker(tron::NodeConfig node)
    : node_(std::move(node)),
      client_(std::make_unique<tron::TronClient>(node_)),
      thread_([this] { run(); }) {}

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
        watching_ = true;
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

std::vector<ChainWorker::NodeNotice> ChainWorker::take_node_notices() {
    std::lock_guard lock(mutex_);
    return std::exchange(node_notices_, {});
}

bool ChainWorker::node_answers() const {
    std::lock_guard lock(mutex_);
    return node_ok_;
}

void ChainWorker::check_node() {
    bool failing = false;
    {
        std::lock_guard lock(mutex_);
        failing = !node_ok_;
    }
    std::optional<tron::NodeError> error;
    if (failing) {
        // A fresh channel: the old one is gone (client_ was dropped), so gRPC dials at once
        // instead of waiting out the reconnect backoff the outage built up.
        tron::TronClient fresh(single_attempt(node_));
        if (auto head = fresh.head_block(); !head) error = head.failure();
    } else {
        tron::TronClient checker(single_attempt(node_));  // shares client_'s connection
        if (auto head = checker.head_block(); !head) error = head.failure();
    }
    auto const now = Clock::now();
    if (error && !failing) client_.reset();
    if (!error && failing) client_ = std::make_unique<tron::TronClient>(node_);
    std::lock_guard lock(mutex_);
    bool const told_before = outage_told_;
    if (!error) {
        if (failing && outage_told_) {
            auto const seconds =
                std::chrono::duration_cast<std::chrono::seconds>(now - down_since_);
            node_notices_.push_back(
                {true, "the Tron node at " + node_.wallet_address + " answers again after " +
                           std::to_string(seconds.count()) + " s; waiting settlements go ahead"});
        }
        outage_told_ = false;
        node_ok_ = true;
        last_ok_ = now;
    } else if (!failing) {
        // Not told yet: a call on the old connection only learns that the connection went away.
        // Asking again at once on a fresh one names what is at the address now (nothing, a
        // refusal, not gRPC, silence), and a blip that is over by then is no outage at all.
        down_since_ = now;
        node_ok_ = false;
        next_check_ = now;
    } else {
        if (!outage_told_) {
            node_notices_.push_back({false, tron::plain_node_error(*error, node_) +
                                                "; settlements wait and are retried"});
            outage_told_ = true;
        }
        next_check_ = now + failing_check;
    }
    if (outage_told_ != told_before && wakeup_) wakeup_();
}

void ChainWorker::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto const interval = jobs_.empty() ? idle_check : fresh_enough;
        auto const next = node_ok_ ? last_ok_ + interval : next_check_;
        if (watching_ && Clock::now() >= next) {
            lock.unlock();
            check_node();
            lock.lock();
            continue;
        }
        if (node_ok_ && !jobs_.empty()) {
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            busy_ = true;
            lock.unlock();
            auto continuation = job(*client_);
            lock.lock();
            busy_ = false;
            done_.push_back(std::move(continuation));
            if (wakeup_) wakeup_();
            continue;
        }
        auto const ready = [this] { return stopping_ || (node_ok_ && !jobs_.empty()); };
        if (watching_) {
            wake_.wait_until(lock, next, ready);
        } else {
            wake_.wait(lock, ready);
        }
    }
}

}  // namespace lanetorrent::lanes
