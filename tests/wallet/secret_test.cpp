// Secrets in memory: the process guard against core dumps and same-user ptrace, and SecretText,
// which wipes the passphrase it holds.
#include "wallet/secret.hpp"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

namespace lanetorrent::wallet {
namespace {

bool all_zero(char const* bytes, std::size_t size) {
    return std::all_of(bytes, bytes + size, [](char c) { return c == 0; });
}

// In a forked child, so the test process stays debuggable. Exit codes: 0 all as expected,
// 1 dumpable before (the premise), 2 the guard failed, 3 still dumpable, 4 RLIMIT_CORE not 0.
TEST(CoreDumps, GuardMakesTheProcessUndumpableWithNoCoreLimit) {
    pid_t const pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1) ::_exit(1);
        if (!keep_secrets_out_of_core_dumps()) ::_exit(2);
        if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) ::_exit(3);
        rlimit core{};
        if (::getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0 || core.rlim_max != 0) {
            ::_exit(4);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SecretText, HoldsTheTextAndComparesByContent) {
    SecretText const a("correct horse");
    EXPECT_EQ(a.view(), "correct horse");
    std::string_view const as_view = a;  // what Keystore takes
    EXPECT_EQ(as_view, "correct horse");
    EXPECT_TRUE(a == SecretText("correct horse"));
    EXPECT_FALSE(a == SecretText("correct horsE"));
    EXPECT_FALSE(a == SecretText("correct"));
    EXPECT_TRUE(SecretText().empty());
    EXPECT_TRUE(SecretText("").empty());
}

TEST(SecretText, WipeZeroesTheBytesWhereTheyLie) {
    SecretText secret("correct horse battery staple");
    char const* const storage = secret.view().data();
    auto const size = secret.size();
    ASSERT_FALSE(all_zero(storage, size));
    secret.wipe();
    EXPECT_TRUE(secret.empty());
    // The block is still this object's until it is destroyed, so reading it is well defined.
    EXPECT_TRUE(all_zero(storage, size));
}

TEST(SecretText, MovingLeavesNothingBehindInTheSource) {
    SecretText source("correct horse");
    char const* const storage = source.view().data();
    SecretText target(std::move(source));
    EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): that is the point
    EXPECT_EQ(target.view(), "correct horse");
    EXPECT_EQ(target.view().data(), storage);  // moved, not copied: no second copy to wipe

    SecretText other("another");
    other = std::move(target);
    EXPECT_EQ(other.view(), "correct horse");
    EXPECT_TRUE(target.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretText, ScrubZeroesABuffer) {
    std::string buffer = "correct horse";
    scrub(buffer);
    EXPECT_TRUE(all_zero(buffer.data(), buffer.size()));
}

}  // namespace
}  // namespace lanetorrent::wallet
