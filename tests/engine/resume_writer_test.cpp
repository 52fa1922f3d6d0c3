// ResumeWriter: resume data goes to disk on the writer's thread, so the thread that polls the
// engine (the GUI's, in the app) never waits for a disk. A gate stands in for a disk that stalls.
#include "engine/resume_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

namespace lanetorrent {
namespace {

using namespace std::chrono_literals;

// A disk whose writes wait until the test opens it, recording what reached it.
class StalledDisk {
  public:
    ResumeWriter::Write write() {
        return [this](TorrentId const& id, lt::add_torrent_params const& params) -> Status {
            started_.fetch_add(1);
            open_future_.wait();
            std::lock_guard lock(mutex_);
            written_.push_back(id + ":" + params.name);
            if (params.name == "fail") return Error{"No space left on device"};
            if (params.name == "throw") throw std::runtime_error("bad_alloc while encoding");
            return Ok{};
        };
    }
    void open() { open_.set_value(); }
    bool wait_started(int count) {
        auto const deadline = std::chrono::steady_clock::now() + 5s;
        while (started_.load() < count) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }
    std::vector<std::string> written() {
        std::lock_guard lock(mutex_);
        return written_;
    }

  private:
    std::promise<void> open_;
    std::shared_future<void> open_future_ = open_.get_future().share();
    std::atomic<int> started_{0};
    std::mutex mutex_;
    std::vector<std::string> written_;
};

lt::add_torrent_params params_named(std::string name) {
    lt::add_torrent_params params;
    params.name = std::move(name);
    return params;
}

std::vector<ResumeWriter::Done> wait_for_answers(ResumeWriter& writer, std::size_t count) {
    std::vector<ResumeWriter::Done> answers;
    auto const deadline = std::chrono::steady_clock::now() + 5s;
    while (answers.size() < count && std::chrono::steady_clock::now() < deadline) {
        writer.wait_for_done(50ms);
        for (auto& done : writer.take_done()) answers.push_back(std::move(done));
    }
    return answers;
}

TEST(ResumeWriter, SavesReturnAtOnceWhileTheDiskIsStuckAndAreAnsweredInOrder) {
    StalledDisk disk;
    std::atomic<int> wakeups{0};
    ResumeWriter writer(disk.write());
    writer.set_wakeup([&] { wakeups.fetch_add(1); });

    auto const start = std::chrono::steady_clock::now();
    writer.save("a", params_named("1"));
    writer.save("b", params_named("2"));
    writer.save("a", params_named("3"));
    ASSERT_TRUE(disk.wait_started(1));
    EXPECT_TRUE(writer.take_done().empty());
    EXPECT_EQ(writer.outstanding(), 3);
    // The polling thread was never held up by the stuck write.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);

    disk.open();
    auto const answers = wait_for_answers(writer, 3);
    ASSERT_EQ(answers.size(), 3u);
    EXPECT_EQ(answers[0].id, "a");
    EXPECT_EQ(answers[1].id, "b");
    EXPECT_EQ(answers[2].id, "a");
    for (auto const& answer : answers) {
        EXPECT_TRUE(answer.status.ok());
        EXPECT_FALSE(answer.cancelled);
    }
    EXPECT_EQ(disk.written(), (std::vector<std::string>{"a:1", "b:2", "a:3"}));
    EXPECT_EQ(writer.outstanding(), 0);
    EXPECT_GE(wakeups.load(), 1);
}

TEST(ResumeWriter, ForgetDropsQueuedSavesAndWaitsForTheOneOnDisk) {
    StalledDisk disk;
    ResumeWriter writer(disk.write());
    writer.save("removed", params_named("on disk"));
    ASSERT_TRUE(disk.wait_started(1));
    writer.save("removed", params_named("queued"));
    writer.save("kept", params_named("queued"));

    std::atomic<bool> forgotten{false};
    std::thread remover([&] {
        writer.forget("removed");
        forgotten = true;
    });
    std::this_thread::sleep_for(100ms);
    // The save being written may still create the files: forget() must not return before it.
    EXPECT_FALSE(forgotten.load());
    disk.open();
    remover.join();
    EXPECT_TRUE(forgotten.load());

    auto const answers = wait_for_answers(writer, 3);
    ASSERT_EQ(answers.size(), 3u);
    int cancelled = 0;
    for (auto const& answer : answers) cancelled += answer.cancelled ? 1 : 0;
    EXPECT_EQ(cancelled, 1);
    EXPECT_EQ(disk.written(), (std::vector<std::string>{"removed:on disk", "kept:queued"}));
    EXPECT_EQ(writer.outstanding(), 0);
}

TEST(ResumeWriter, DestroyingItWritesEverythingQueued) {
    StalledDisk disk;
    {
        ResumeWriter writer(disk.write());
        for (int i = 0; i < 5; ++i) writer.save("t" + std::to_string(i), params_named("x"));
        disk.open();
    }
    EXPECT_EQ(disk.written().size(), 5u);
}

TEST(ResumeWriter, AFailedOrThrowingWriteIsAnsweredWithItsErrorAndTheNextStillRuns) {
    StalledDisk disk;
    disk.open();
    ResumeWriter writer(disk.write());
    writer.save("a", params_named("fail"));
    writer.save("b", params_named("throw"));
    writer.save("c", params_named("fine"));
    auto const answers = wait_for_answers(writer, 3);
    ASSERT_EQ(answers.size(), 3u);
    ASSERT_FALSE(answers[0].status.ok());
    EXPECT_EQ(answers[0].status.error(), "No space left on device");
    ASSERT_FALSE(answers[1].status.ok());
    EXPECT_NE(answers[1].status.error().find("bad_alloc"), std::string::npos);
    EXPECT_TRUE(answers[2].status.ok());
}

}  // namespace
}  // namespace lanetorrent
