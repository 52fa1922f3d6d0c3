#include "engine/resume_writer.hpp"

#include <exception>

namespace lanetorrent {

ResumeWriter::ResumeWriter(Write write) : write_(std::move(write)), thread_([this] { run(); }) {}

ResumeWriter::~ResumeWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    thread_.join();
}

void ResumeWriter::set_wakeup(std::function<void()> wakeup) {
    std::lock_guard lock(mutex_);
    wakeup_ = std::move(wakeup);
}

void ResumeWriter::save(TorrentId id, lt::add_torrent_params params) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(Job{std::move(id), std::move(params)});
        ++outstanding_;
    }
    work_ready_.notify_one();
}

void ResumeWriter::forget(TorrentId const& id) {
    std::unique_lock lock(mutex_);
    for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->id != id) {
            ++it;
            continue;
        }
        Done cancelled;
        cancelled.id = id;
        cancelled.cancelled = true;
        done_.push_back(std::move(cancelled));
        it = queue_.erase(it);
    }
    job_finished_.wait(lock, [&] { return writing_ != id; });
}

std::vector<ResumeWriter::Done> ResumeWriter::take_done() {
    std::lock_guard lock(mutex_);
    outstanding_ -= static_cast<int>(done_.size());
    return std::exchange(done_, {});
}

void ResumeWriter::wait_for_done(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    job_finished_.wait_for(lock, timeout, [&] { return !done_.empty(); });
}

int ResumeWriter::outstanding() const {
    std::lock_guard lock(mutex_);
    return outstanding_;
}

void ResumeWriter::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything asked for is written
        auto job = std::move(queue_.front());
        queue_.pop_front();
        writing_ = job.id;
        lock.unlock();

        Done done;
        done.id = job.id;
        done.had_metadata = job.params.ti != nullptr;
        try {
            done.status = write_(job.id, job.params);
        } catch (std::exception const& e) {  // bencoding can throw bad_alloc; never the thread
            done.status = Error{e.what()};
        }

        lock.lock();
        writing_.reset();
        done_.push_back(std::move(done));
        auto const wakeup = wakeup_;
        lock.unlock();
        job_finished_.notify_all();
        if (wakeup) wakeup();
        lock.lock();
    }
}

}  // namespace lanetorrent
